import type { ProfileInfo, StartRunParams } from '../../../../shared/contract';
import { THRESHOLD_METRIC_NAMES } from '../../../../shared/threshold-syntax';
import { FieldError } from '../../components/FieldError';
import { TargetFields } from './TargetFields';
import { formatDuration, hasErrors, plannedRun, thresholdsToText, validateSetup, type RunSetup, type SetupErrors } from './run-setup';

/** The modes in picker order: the A/B pair first, then adaptive (governed with limits that find their level). */
const STACK_MODES = ['governed', 'unbounded', 'adaptive'] as const satisfies readonly RunSetup['mode'][];

const MODE_DESCRIPTIONS: Record<RunSetup['mode'], string> = {
  governed: 'Governed: agent semaphore, bounded pool, provider limiter, one retry loop.',
  unbounded: 'Unbounded: Promise.all fan-out, a new connection per query, no limiter, immediate retries.',
  adaptive:
    'Adaptive: governed, but provider calls and retrieval queries run on adaptive limits that find their level from latency and 429/503s (watch them on the Semaphores page and in the run chart).',
};

interface Props {
  profiles: readonly ProfileInfo[];
  setup: RunSetup;
  onSetupChange: (setup: RunSetup) => void;
  busy: boolean;
  /** Errors the stack answered with for the last Start, by field (the form's own checks come first). */
  serverErrors: SetupErrors | null;
  onStart: (params: StartRunParams) => void;
}

/** Profile and mode pickers, rate and duration overrides, editable thresholds, and Start. */
export function RunSetupForm({ profiles, setup, onSetupChange, busy, serverErrors, onStart }: Props) {
  const setSetup = (change: (s: RunSetup) => RunSetup): void => onSetupChange(change(setup));
  const selected = profiles.find((p) => p.profile.name === setup.profile);
  const { params, errors: own } = validateSetup(setup, selected);
  const errors: SetupErrors = hasErrors(own) ? own : (serverErrors ?? {});
  const plan = selected ? plannedRun(setup, selected) : null;

  const pickProfile = (name: string): void => {
    const info = profiles.find((p) => p.profile.name === name);
    setSetup((s) => ({ ...s, profile: name, rate: '', durationS: '', thresholds: info ? thresholdsToText(info.profile.thresholds) : '' }));
  };

  return (
    <form
      className="card run-setup"
      data-testid="run-setup"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (params) onStart(params);
      }}
    >
      <div className="field">
        <span id="against-label">Load</span>
        <div className="segmented" role="radiogroup" aria-labelledby="against-label">
          {(
            [
              ['stack', 'Built-in agent stack'],
              ['http', 'HTTP endpoint'],
            ] as const
          ).map(([against, label]) => (
            <button
              key={against}
              type="button"
              role="radio"
              aria-checked={setup.against === against}
              className={setup.against === against ? 'active' : undefined}
              onClick={() => setSetup((s) => ({ ...s, against }))}
              tabIndex={setup.against === against ? 0 : -1}
              onKeyDown={(event) => {
                if (!['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(event.key)) return;
                event.preventDefault();
                const other = against === 'stack' ? 'http' : 'stack';
                setSetup((s) => ({ ...s, against: other }));
                (event.currentTarget.parentElement?.querySelector(`[data-testid="against-${other}"]`) as HTMLElement | null)?.focus();
              }}
              disabled={busy}
              data-testid={`against-${against}`}
            >
              {label}
            </button>
          ))}
        </div>
      </div>
      {setup.against === 'http' ? <TargetFields target={setup.target} errors={errors.target} busy={busy} onChange={(target) => setSetup((s) => ({ ...s, target }))} /> : null}
      <div className="form-grid">
        <label>
          {setup.against === 'http' ? 'Arrival schedule (profile)' : 'Profile'}
          <select value={setup.profile} onChange={(e) => pickProfile(e.target.value)} data-testid="profile-select" disabled={busy}>
            {profiles.map((p) => (
              <option key={p.profile.name} value={p.profile.name}>
                {p.profile.name}
                {p.builtin ? '' : ' (saved)'} — peak {p.peakRate}/s, {formatDuration(p.durationS)}
              </option>
            ))}
          </select>
          <FieldError id="profile-error" message={errors.profile} />
        </label>
        {setup.against === 'http' ? null : (
        <div className="field">
          <span id="mode-label">Stack mode</span>
          <div className="segmented" role="radiogroup" aria-labelledby="mode-label">
            {STACK_MODES.map((mode) => (
              <button
                key={mode}
                type="button"
                role="radio"
                aria-checked={setup.mode === mode}
                className={setup.mode === mode ? 'active' : undefined}
                onClick={() => setSetup((s) => ({ ...s, mode }))}
                // One Tab stop for the group; the arrow keys switch (the radio-group pattern).
                tabIndex={setup.mode === mode ? 0 : -1}
                onKeyDown={(event) => {
                  if (!['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(event.key)) return;
                  event.preventDefault();
                  const step = event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : 1;
                  const other = STACK_MODES[(STACK_MODES.indexOf(mode) + step + STACK_MODES.length) % STACK_MODES.length]!;
                  setSetup((s) => ({ ...s, mode: other }));
                  (event.currentTarget.parentElement?.querySelector(`[data-testid="mode-${other}"]`) as HTMLElement | null)?.focus();
                }}
                disabled={busy}
                data-testid={`mode-${mode}`}
              >
                {mode}
              </button>
            ))}
          </div>
        </div>
        )}
        <label>
          Peak rate (req/s)
          <input
            inputMode="decimal"
            placeholder={selected ? String(selected.peakRate) : ''}
            value={setup.rate}
            onChange={(e) => setSetup((s) => ({ ...s, rate: e.target.value }))}
            disabled={busy}
            aria-invalid={errors.rate ? true : undefined}
            aria-describedby={errors.rate ? 'rate-error' : undefined}
            data-testid="rate-input"
          />
          <FieldError id="rate-error" message={errors.rate} />
        </label>
        <label>
          Duration (s)
          <input
            inputMode="decimal"
            placeholder={selected ? String(selected.durationS) : ''}
            value={setup.durationS}
            onChange={(e) => setSetup((s) => ({ ...s, durationS: e.target.value }))}
            disabled={busy}
            aria-invalid={errors.durationS ? true : undefined}
            aria-describedby={errors.durationS ? 'duration-error' : undefined}
            data-testid="duration-input"
          />
          <FieldError id="duration-error" message={errors.durationS} />
        </label>
      </div>
      {selected && plan ? (
        <div className="run-setup-description" data-testid="run-plan">
          <p>
            <strong>
              {plan.plannedRequests.toLocaleString()} requests over {formatDuration(plan.durationS)}, peak {+plan.peakRate.toFixed(2)}/s
            </strong>
            , at most {selected.profile.maxVUs} in flight{plan.overridden ? ' (your rate and duration applied)' : ''}.{' '}
            {setup.against === 'http'
              ? 'Each arrival sends one request to the endpoint; latency and time to first byte count from its intended start.'
              : MODE_DESCRIPTIONS[setup.mode]}
          </p>
          {setup.against === 'http' ? null : (
            <p className="muted">
              {plan.overridden ? 'The profile as shipped: ' : ''}
              {selected.profile.description}
            </p>
          )}
        </div>
      ) : null}
      <label>
        <span>
          Thresholds — one per line, k6 syntax: <code>latency_ms: p(95)&lt;800</code>, <code>errors: rate&lt;0.01 abortOnFail</code>; metrics: {THRESHOLD_METRIC_NAMES.join(', ')}
        </span>
        <textarea
          rows={4}
          spellCheck={false}
          value={setup.thresholds}
          onChange={(e) => setSetup((s) => ({ ...s, thresholds: e.target.value }))}
          disabled={busy}
          aria-invalid={errors.thresholds ? true : undefined}
          aria-describedby={errors.thresholds ? 'thresholds-error' : undefined}
          data-testid="thresholds-input"
        />
        <FieldError id="thresholds-error" message={errors.thresholds} />
      </label>
      <div className="run-setup-actions">
        {params ? null : <span className="muted">Fix the fields marked above to start.</span>}
        <button type="submit" className="primary" disabled={busy || params === null} data-testid="start-run">
          {setup.against === 'http' ? 'Start run against endpoint' : `Start ${setup.mode} run`}
        </button>
      </div>
    </form>
  );
}
