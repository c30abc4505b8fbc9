import type { ProfileInfo, StackMode, StartRunParams, ThresholdSpec } from '../../../../shared/contract';

export interface RunSetup {
  profile: string;
  mode: StackMode;
  rate: string;
  durationS: string;
  thresholds: string;
}

/** A profile's thresholds as editable text: one `metric: expression` per line. */
export function thresholdsToText(spec: ThresholdSpec): string {
  const lines: string[] = [];
  for (const [metric, entries] of Object.entries(spec)) {
    for (const entry of entries) {
      if (typeof entry === 'string') lines.push(`${metric}: ${entry}`);
      else lines.push(`${metric}: ${entry.threshold}${entry.abortOnFail ? ' abortOnFail' : ''}${entry.delayAbortEval ? ` delayAbortEval=${entry.delayAbortEval}` : ''}`);
    }
  }
  return lines.join('\n');
}

/** Parses the text back; a malformed line is reported by number (the server checks the expressions). */
export function textToThresholds(text: string): { spec: ThresholdSpec } | { error: string } {
  const spec: ThresholdSpec = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { error: `Threshold line ${i + 1} ("${line}") needs the form "metric: expression", e.g. "latency_ms: p(95)<800".` };
    const metric = line.slice(0, colon).trim();
    const words = line.slice(colon + 1).trim().split(/\s+/);
    const expression = words.filter((w) => w !== 'abortOnFail' && !w.startsWith('delayAbortEval=')).join('');
    const abortOnFail = words.includes('abortOnFail');
    const delay = words.find((w) => w.startsWith('delayAbortEval='))?.slice('delayAbortEval='.length);
    (spec[metric] ??= []).push(abortOnFail || delay ? { threshold: expression, ...(abortOnFail ? { abortOnFail } : {}), ...(delay ? { delayAbortEval: delay } : {}) } : expression);
  }
  return { spec };
}

interface Props {
  profiles: readonly ProfileInfo[];
  /** Kept by the page, so the choices survive a run (the form is hidden while one goes). */
  setup: RunSetup | null;
  onSetupChange: (setup: RunSetup) => void;
  busy: boolean;
  onStart: (params: StartRunParams) => void;
  onInvalid: (message: string) => void;
}

/** The form's first state: the heavy profile (the A/B case), governed, the profile's own thresholds. */
export function initialSetup(profiles: readonly ProfileInfo[]): RunSetup {
  const first = profiles.find((p) => p.profile.name === 'heavy') ?? profiles[0];
  return { profile: first?.profile.name ?? '', mode: 'governed', rate: '', durationS: '', thresholds: first ? thresholdsToText(first.profile.thresholds) : '' };
}

/** Profile and mode pickers, rate and duration overrides, editable thresholds, and Start. */
export function RunSetupForm({ profiles, setup: kept, onSetupChange, busy, onStart, onInvalid }: Props) {
  const setup = kept ?? initialSetup(profiles);
  const setSetup = (change: (s: RunSetup) => RunSetup): void => onSetupChange(change(setup));
  const selected = profiles.find((p) => p.profile.name === setup.profile);

  const pickProfile = (name: string): void => {
    const info = profiles.find((p) => p.profile.name === name);
    setSetup((s) => ({ ...s, profile: name, rate: '', durationS: '', thresholds: info ? thresholdsToText(info.profile.thresholds) : '' }));
  };

  const submit = (): void => {
    const parsed = textToThresholds(setup.thresholds);
    if ('error' in parsed) return onInvalid(parsed.error);
    const rate = setup.rate.trim() === '' ? undefined : Number(setup.rate);
    const durationS = setup.durationS.trim() === '' ? undefined : Number(setup.durationS);
    if (rate !== undefined && !(rate > 0)) return onInvalid('Peak rate must be a number above 0 (requests per second), or empty for the profile’s own.');
    if (durationS !== undefined && !(durationS > 0)) return onInvalid('Duration must be a number of seconds above 0, or empty for the profile’s own.');
    onStart({
      profile: setup.profile,
      mode: setup.mode,
      thresholds: parsed.spec,
      ...(rate === undefined ? {} : { rate }),
      ...(durationS === undefined ? {} : { durationS }),
    });
  };

  return (
    <div className="card run-setup" data-testid="run-setup">
      <div className="form-grid">
        <label>
          Profile
          <select value={setup.profile} onChange={(e) => pickProfile(e.target.value)} data-testid="profile-select" disabled={busy}>
            {profiles.map((p) => (
              <option key={p.profile.name} value={p.profile.name}>
                {p.profile.name}
                {p.builtin ? '' : ' (saved)'} — peak {p.peakRate}/s, {formatDuration(p.durationS)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Stack mode
          <div className="segmented" role="radiogroup" aria-label="Stack mode">
            {(['governed', 'unbounded'] as const).map((mode) => (
              <button
                key={mode}
                type="button"
                role="radio"
                aria-checked={setup.mode === mode}
                className={setup.mode === mode ? 'active' : undefined}
                onClick={() => setSetup((s) => ({ ...s, mode }))}
                disabled={busy}
                data-testid={`mode-${mode}`}
              >
                {mode}
              </button>
            ))}
          </div>
        </label>
        <label>
          Peak rate (req/s)
          <input inputMode="decimal" placeholder={selected ? String(selected.peakRate) : ''} value={setup.rate} onChange={(e) => setSetup((s) => ({ ...s, rate: e.target.value }))} disabled={busy} data-testid="rate-input" />
        </label>
        <label>
          Duration (s)
          <input inputMode="decimal" placeholder={selected ? String(selected.durationS) : ''} value={setup.durationS} onChange={(e) => setSetup((s) => ({ ...s, durationS: e.target.value }))} disabled={busy} data-testid="duration-input" />
        </label>
      </div>
      {selected ? (
        <p className="muted run-setup-description">
          {selected.profile.description} {selected.plannedRequests.toLocaleString()} requests, at most {selected.profile.maxVUs} in flight.{' '}
          {setup.mode === 'governed' ? 'Governed: agent semaphore, bounded pool, provider limiter, one retry loop.' : 'Unbounded: Promise.all fan-out, a new connection per query, no limiter, immediate retries.'}
        </p>
      ) : null}
      <label>
        <span>
          Thresholds — one per line, k6 syntax: <code>latency_ms: p(95)&lt;800</code>, <code>errors: rate&lt;0.01 abortOnFail</code>; metrics: latency_ms, errors, shed, dropped, late, http_429, retries, db_server_connections, event_loop_delay_ms, semaphore_wait_ms, limiter_wait_ms, pool_acquire_ms, provider_ms
        </span>
        <textarea rows={4} spellCheck={false} value={setup.thresholds} onChange={(e) => setSetup((s) => ({ ...s, thresholds: e.target.value }))} disabled={busy} data-testid="thresholds-input" />
      </label>
      <div className="run-setup-actions">
        <button type="button" className="primary" onClick={submit} disabled={busy || !selected} data-testid="start-run">
          Start {setup.mode} run
        </button>
      </div>
    </div>
  );
}

function formatDuration(seconds: number): string {
  return seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${seconds} s`;
}
