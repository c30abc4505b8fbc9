import type { RunProgress, RunRecord, StartRunParams } from '../../../shared/contract/stress';
import { checkProviderUrl } from '../../../shared/contract/provider-url';
import { DEFAULT_DATABASE_WAIT_MS } from '../../stack/agents/agent-environment';
import { BulkheadError } from '../../stack/errors';
import { BASE_URL_ENV } from '../../stack/providers/api-keys';
import { createLogger } from '../../stack/log/logger';
import { startStack, type Stack } from '../../stack/stack';
import { isProfilePath, listProfiles, profileFromArgument } from '../../stack/stress/profiles';
import { resolveDataDir } from '../../stack/store/data-dir';
import { EXIT, UsageError, type CliCommand, type CliIo } from '../command';
import { parseChoiceOption, parseNumberOption } from '../option-parsers';
import { closestMatch } from '../suggest';
import { constantTargetProfile, DEFAULT_TARGET_DURATION_S, DEFAULT_TARGET_RATE, parseTargetFlags, TARGET_OPTIONS } from '../target-flags';
import type { StressProfile } from '../../../shared/contract/stress-profile';
import { TargetSpecSchema, type TargetSpecInput } from '../../../shared/contract/stress-target';
import { formatReport, progressLine, progressLogLine, reportJson } from '../stress-report';

/** Exit code for "the run held its thresholds but regressed against the baseline". */
export const EXIT_REGRESSION = 3;

/** Start errors that are the command line's fault: reported as usage errors (exit 2). */
const USAGE_CODES = new Set([
  'STRESS_PROFILE_NOT_FOUND',
  'STRESS_BAD_PROFILE',
  'STRESS_BAD_THRESHOLD',
  'STRESS_BAD_PROVIDER',
  'STRESS_CHAOS_UNAVAILABLE',
  'STRESS_UNKNOWN_CHAOS',
  'STRESS_BASELINE_UNAVAILABLE',
  'BASELINE_NOT_FOUND',
  'BASELINE_BAD_NAME',
]);

export const stressCommand: CliCommand = {
  name: 'stress',
  summary: 'Run a stress profile against the agent stack (governed or unbounded) and judge it by its thresholds',
  usage: `bulkhead stress --profile NAME [--duration S] [--rate N] [--mode governed|adaptive|unbounded] [--chaos NAME]
                [--provider simulator|openai|anthropic] [--provider-url URL]
                [--baseline NAME | --save-baseline NAME] [--json] [--data-dir D]
bulkhead stress --target URL [--profile NAME] [--rate N] [--duration S] [--method M] [--header 'K: V']…
                [--body JSON | --body-file F] [--expect-status 2xx] [--timeout S] [--connections N] …

Drives the agent workflows (rag-answer, ingest) with an open-model arrival schedule: requests start
when the profile says, whether or not earlier ones have answered. Latency is measured from each
request's intended start. Starts what it needs — the embedded PostgreSQL (or DATABASE_URL) and the
provider simulator — and stops it again.

Options:
  --profile NAME        light, medium, heavy, spike, endurance, a saved profile, or a profile JSON file
  --duration S          the profile's total length in seconds (stages keep their shares)
  --rate N              the profile's peak arrival rate in requests/s (stages scale with it)
  --mode M              governed (every bound on, default), adaptive (governed, with provider calls and
                        retrieval on adaptive concurrency limits that find their level from latency and
                        429/503s) or unbounded (the before-state)
  --chaos NAME          run a chaos scenario alongside
  --provider P          simulator (default: in-process, no key), openai or anthropic (needs a key:
                        OPENAI_API_KEY / ANTHROPIC_API_KEY or the saved one)
  --provider-url URL    an OpenAI- (or, with --provider anthropic, Anthropic-) compatible endpoint;
                        with OPENAI_API_KEY / ANTHROPIC_API_KEY this binds that key to the URL for the
                        run (as OPENAI_BASE_URL / ANTHROPIC_BASE_URL do); a key saved on Settings is
                        only sent to the origin it was saved with
  --baseline NAME       compare with a saved baseline; exit 3 on a regression
  --save-baseline NAME  save this run as a baseline
  --target URL          load this HTTP endpoint instead of the built-in stack (http or https; no
                        user:password or key in the URL). Without --profile, --rate (default 10)
                        and --duration (default 30) make a constant-arrival run; with one, the
                        profile's stages and thresholds drive the target
  --method M            GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS (default POST with a body, else GET)
  --header 'K: V'       a request header, repeatable; values that look like secrets are redacted
                        in logs, stored runs and reports
  --body JSON           the request body; {{question}} (a sample-corpus question), {{seq}} (the
                        arrival's number) and {{uuid}} are filled per request
  --body-file F         the body from a file (a regular file of at most 32 KiB), same variables
  --expect-status S     statuses that count as success: codes and classes, e.g. 2xx (default) or 200,204
  --timeout S           a request that has not finished its body after S seconds fails (default 30)
  --connections N       most keep-alive connections to the target (default 64)
  --json                print only the result as JSON on stdout
  --data-dir D          where runs are stored (default BULKHEAD_DATA_DIR, else the app's data folder)
  -h, --help            show this help

Exit codes: 0 thresholds held, 1 a threshold failed or the run could not run (the reason is printed
and stored with the run), 2 usage error, 3 regression against the baseline, 130 interrupted (Ctrl+C).`,
  options: {
    profile: { type: 'string' },
    duration: { type: 'string' },
    rate: { type: 'string' },
    mode: { type: 'string' },
    chaos: { type: 'string' },
    provider: { type: 'string' },
    'provider-url': { type: 'string' },
    baseline: { type: 'string' },
    'save-baseline': { type: 'string' },
    json: { type: 'boolean' },
    'data-dir': { type: 'string' },
    ...TARGET_OPTIONS,
  },
  async run(values, _positionals, io) {
    const target = await parseTargetFlags(values);
    const flags = parseStressFlags(values, target !== null);
    const json = values.json === true;
    const dataDir = resolveDataDir({ flag: values['data-dir'] as string | undefined, env: io.env });
    // A typo in the profile is a usage error, found before anything starts. A file is read here (a
    // regular file under the size cap) and sent as content: the contract takes no paths.
    let params: StartRunParams;
    let profile: StressProfile;
    if (flags.profile === undefined) {
      // --target without --profile: --rate and --duration define a constant-arrival run.
      profile = constantTargetProfile(target!, flags.rate ?? DEFAULT_TARGET_RATE, flags.durationS ?? DEFAULT_TARGET_DURATION_S);
      params = { ...flags, profile };
    } else {
      const named = flags.profile;
      try {
        const loaded = await profileFromArgument(named, dataDir);
        profile = target ? withTarget(loaded.profile, target) : loaded.profile;
        params = { ...flags, profile: isProfilePath(named) || target ? profile : named };
      } catch (error) {
        if (error instanceof BulkheadError && error.code === 'STRESS_PROFILE_NOT_FOUND' && !isProfilePath(named)) {
          const guess = closestMatch(named, (await listProfiles(dataDir)).map((p) => p.profile.name));
          if (guess) throw new UsageError(`there is no stress profile named ${JSON.stringify(named)} — did you mean "${guess}"?`);
        }
        throw asUsageError(error);
      }
    }
    // A target run, or a profile of no-op requests, needs no database: do not start one.
    const needsDatabase = !profile.target && Object.entries(profile.mix).some(([workflow, weight]) => workflow !== 'noop' && (weight ?? 0) > 0);
    const log = createLogger({ level: 'warn', scope: 'cli', write: (line) => io.stderr(`${line}\n`) });
    if (!json) io.stderr(`starting the stack (data dir ${dataDir})…\n`);
    const stack = await startStack({ dataDir, role: 'cli', log, env: environmentForRun(io.env, params), ...(needsDatabase ? {} : { database: 'none' as const }) });
    try {
      const record = await runOnce(stack, params, io, json);
      io.stdout(json ? reportJson(record) : formatReport(record));
      // Ctrl+C / SIGTERM stopped it: not a verdict on the stack (the report still shows what ran).
      if (io.signal.aborted) return EXIT.interrupted;
      if (!record.summary) return EXIT.failed;
      if (record.summary.regression?.regressed) return EXIT_REGRESSION;
      return record.summary.ok ? EXIT.ok : EXIT.failed;
    } finally {
      await stack.stop();
    }
  },
};

export function parseStressFlags(values: Record<string, unknown>, hasTarget = false): Omit<StartRunParams, 'profile'> & { profile: string | undefined } {
  const profile = values.profile as string | undefined;
  if (!profile && !hasTarget) {
    throw new UsageError('--profile is required (light, medium, heavy, spike, endurance, or the path of a profile JSON file), or --target URL to load an HTTP endpoint.');
  }
  if (hasTarget && (values.provider !== undefined || values['provider-url'] !== undefined)) {
    throw new UsageError('--provider and --provider-url choose the built-in stack\'s LLM provider; a --target run sends its requests to the target only. Drop them.');
  }
  const mode = parseChoiceOption('mode', values.mode, ['governed', 'adaptive', 'unbounded'] as const) ?? 'governed';
  const rate = parseNumberOption('rate', values.rate, { min: 0.001, max: 100_000 });
  const durationS = parseNumberOption('duration', values.duration, { min: 0.1, max: 7 * 24 * 3600 });
  const providerUrl = values['provider-url'] as string | undefined;
  let provider = parseChoiceOption('provider', values.provider, ['simulator', 'openai', 'anthropic'] as const);
  if (providerUrl !== undefined) {
    const checked = checkProviderUrl(providerUrl);
    // The value is not repeated: it may carry a password.
    if (!checked.ok) throw new UsageError(`--provider-url ${checked.problem} (e.g. --provider-url http://127.0.0.1:8080/v1).`);
    if (provider === 'simulator') throw new UsageError('--provider-url cannot be used with --provider simulator; use --provider openai or anthropic.');
    provider ??= 'openai';
  }
  const baseline = values.baseline as string | undefined;
  const saveBaseline = values['save-baseline'] as string | undefined;
  if (baseline !== undefined && saveBaseline !== undefined) throw new UsageError('give either --baseline NAME or --save-baseline NAME, not both.');
  for (const [flag, value] of [['chaos', values.chaos], ['baseline', baseline], ['save-baseline', saveBaseline]] as const) {
    if (value !== undefined && String(value).trim() === '') throw new UsageError(`--${flag} needs a name.`);
  }
  return {
    profile,
    mode,
    provider: provider ?? 'simulator',
    ...(rate === undefined ? {} : { rate }),
    ...(durationS === undefined ? {} : { durationS }),
    ...(providerUrl === undefined ? {} : { providerUrl: providerUrl.trim() }),
    ...(values.chaos === undefined ? {} : { chaos: String(values.chaos) }),
    ...(baseline === undefined ? {} : { baseline }),
    ...(saveBaseline === undefined ? {} : { saveBaseline }),
  };
}

/**
 * Typing `--provider-url` next to an environment key binds that key to the URL for this run, exactly as
 * OPENAI_BASE_URL / ANTHROPIC_BASE_URL would: the person at the terminal owns both. A key saved on
 * Settings keeps the binding it was saved with (the run is refused if the URL is elsewhere).
 */
export function environmentForRun(env: NodeJS.ProcessEnv, params: StartRunParams): NodeJS.ProcessEnv {
  if (params.providerUrl === undefined || params.provider === undefined || params.provider === 'simulator') return env;
  return { ...env, [BASE_URL_ENV[params.provider]]: params.providerUrl };
}

/** A profile with the command line's target laid over its own (flags win; headers merge). */
function withTarget(profile: StressProfile, target: TargetSpecInput): StressProfile {
  const merged = { ...(profile.target ?? {}), ...target, headers: { ...(profile.target?.headers ?? {}), ...(target.headers ?? {}) } };
  return { ...profile, target: TargetSpecSchema.parse(merged) };
}

/** Starts the run through the contract (as the panel does), shows progress, resolves with the stored record. */
async function runOnce(stack: Stack, params: StartRunParams, io: CliIo, json: boolean): Promise<RunRecord> {
  let runId: string | null = null;
  let resolveDone!: (record: RunRecord) => void;
  const done = new Promise<RunRecord>((resolve) => (resolveDone = resolve));
  const stopFinished = stack.hub.subscribe('stress.finished', (record) => {
    if (record.id === runId) resolveDone(record);
  });
  const live = io.isTTY && !json;
  let lastLogAt = 0;
  let lastLogLine = '';
  const stopProgress = stack.hub.subscribe('stress.progress', (progress: RunProgress) => {
    if (progress.runId !== runId || json) return;
    const preparing = progress.phase === 'preparing' ? waitingFor(stack) : undefined;
    if (live) {
      io.stderr(`\r${progressLine(progress, 24, preparing)}\u001b[K`);
      return;
    }
    const line = progressLogLine(progress, preparing);
    if (line !== lastLogLine || Date.now() - lastLogAt >= 5_000) {
      if (progress.phase !== 'preparing' && Date.now() - lastLogAt < 5_000) return;
      lastLogAt = Date.now();
      lastLogLine = line;
      io.stderr(`${line}\n`);
    }
  });
  const onAbort = (): void => {
    if (!json) io.stderr('\nstopping the run…\n');
    void stack.dispatcher.dispatch('stress.stop', {}, { transport: 'in-process' });
  };
  try {
    const outcome = await stack.dispatcher.dispatch('stress.start', params, { transport: 'in-process' });
    if (!outcome.ok) {
      const error = new BulkheadError(outcome.error.code, outcome.error.message, { remedy: outcome.error.remedy });
      throw USAGE_CODES.has(error.code) || outcome.error.code === 'INVALID_PARAMS' ? asUsageError(error) : error;
    }
    runId = (outcome.result as { runId: string }).runId;
    if (!json) io.stderr(`run ${runId}\n`);
    io.signal.addEventListener('abort', onAbort, { once: true });
    if (io.signal.aborted) onAbort();
    const record = await done;
    if (live) io.stderr(`\r[${'#'.repeat(24)}] ${record.status} after ${record.summary?.duration_s ?? '?'} s\u001b[K\n`);
    return record;
  } finally {
    io.signal.removeEventListener('abort', onAbort);
    stopFinished();
    stopProgress();
  }
}

/** What a run still preparing waits for, when it is the database: its state in its own words. */
function waitingFor(stack: Stack): string | undefined {
  const { state, stateDetail } = stack.core.database;
  if (state === 'unavailable' || state === 'retrying') {
    return `waiting for the RAG database (up to ${DEFAULT_DATABASE_WAIT_MS / 1000} s, then the doctor's diagnosis): ${stateDetail}`;
  }
  if (state === 'starting') return `starting the RAG database: ${stateDetail}…`;
  return undefined;
}

function asUsageError(error: unknown): unknown {
  if (error instanceof BulkheadError && (USAGE_CODES.has(error.code) || error.code === 'INVALID_PARAMS')) {
    return new UsageError(`${error.message}${error.remedy ? ` ${error.remedy}` : ''}`);
  }
  return error;
}
