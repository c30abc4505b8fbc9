import pg from 'pg';
import type { ChaosCheck, ChaosRun, ChaosTimelineEvent } from '../../../../shared/contract/chaos';
import { describeError } from '../../errors';
import type { SessionOutcome } from './chaos-session';
import type { ScenarioContext, ScenarioDefinition, ScenarioTiming } from './scenario';

export interface JudgeInput {
  readonly definition: ScenarioDefinition;
  readonly timing: ScenarioTiming;
  readonly context: ScenarioContext;
  readonly timeline: readonly ChaosTimelineEvent[];
  readonly injected: boolean;
  readonly healedAt: number | null;
  readonly recoveryMs: number | null;
  readonly unhandled: { readonly count: number; readonly last: string };
  readonly outcome: SessionOutcome;
}

/**
 * Whether the stack recovered, check by check: the fault really happened; the dependency answered
 * again within the bound; the traffic completed requests without errors within the bound; no client
 * leaked and the server holds no more of our sessions than the pool allows (its own view,
 * pg_stat_activity); no unhandled rejection; the process alive; every request accounted for (completed,
 * failed with a typed error, or dropped); the run record complete, second by second.
 */
export async function judgeScenario(input: JudgeInput): Promise<Pick<ChaosRun, 'status' | 'checks' | 'summary'>> {
  const checks: ChaosCheck[] = [
    faultInjected(input),
    dependencyRecovered(input),
    requestsRecovered(input),
    ...(await databaseChecks(input)),
    {
      id: 'no-unhandled-rejection',
      title: 'No unhandled rejection',
      ok: input.unhandled.count === 0,
      detail: input.unhandled.count === 0 ? 'none while the scenario ran' : `${input.unhandled.count}, the last: ${input.unhandled.last}`,
    },
    {
      id: 'process-alive',
      title: 'Process alive',
      ok: true,
      detail: `pid ${process.pid}, up ${Math.round(process.uptime())} s, RSS ${Math.round(process.memoryUsage().rss / 1048576)} MB`,
    },
    requestsAccounted(input.outcome),
    recordComplete(input.outcome),
  ];
  const failed = checks.filter((check) => !check.ok);
  const status: ChaosRun['status'] = !input.injected ? 'error' : failed.length === 0 ? 'passed' : 'failed';
  const recovered = input.recoveryMs === null ? 'did not recover within the bound' : `recovered ${Math.round(input.recoveryMs)} ms after the fault ended`;
  const summary =
    status === 'error'
      ? `${input.definition.title}: the fault could not be injected — ${input.timeline.find((e) => e.kind === 'error')?.detail ?? 'the run ended first'}.`
      : status === 'passed'
        ? `${input.definition.title}: ${recovered}; all ${checks.length} checks held.`
        : `${input.definition.title}: ${recovered}; failed: ${failed.map((c) => c.title.toLowerCase()).join(', ')}.`;
  return { status, checks, summary };
}

function faultInjected(input: JudgeInput): ChaosCheck {
  const event = input.timeline.find((e) => e.kind === 'fault-start');
  return {
    id: 'fault-injected',
    title: 'Fault injected',
    ok: event !== undefined,
    detail: event ? `at ${(event.atMs / 1000).toFixed(1)} s: ${event.detail}` : (input.timeline.find((e) => e.kind === 'error')?.detail ?? 'the run ended before the fault was due'),
  };
}

function dependencyRecovered(input: JudgeInput): ChaosCheck {
  const bound = input.timing.recoveryBoundMs;
  if (input.healedAt === null) return { id: 'dependency-recovered', title: 'Dependency recovered', ok: false, detail: 'the fault never ended inside the scenario' };
  const ok = input.recoveryMs !== null && input.recoveryMs <= bound;
  const miss = input.timeline.find((e) => e.kind === 'not-recovered')?.detail ?? 'the run ended before a probe answered';
  return {
    id: 'dependency-recovered',
    title: 'Dependency recovered',
    ok,
    detail: ok ? `answered ${Math.round(input.recoveryMs ?? 0)} ms after the fault ended (bound ${bound / 1000} s)` : miss,
  };
}

/** The first whole second after the fault in which requests completed and none failed. */
function requestsRecovered(input: JudgeInput): ChaosCheck {
  const base = { id: 'requests-recovered' as const, title: 'Requests succeed again' };
  if (input.healedAt === null) return { ...base, ok: false, detail: 'the fault never ended inside the scenario' };
  const healedAt = input.healedAt;
  // A sample is the second ending at `t`: only seconds that began after the fault ended count.
  const after = input.outcome.samples.filter((s) => s.t - 1000 >= healedAt);
  const clean = after.find((s) => s.completed > 0 && s.failed === 0 && s.dropped === 0);
  const duringFault = input.outcome.samples.filter((s) => s.t > healedAt - input.timing.faultMs && s.t - 1000 < healedAt).reduce((n, s) => n + s.failed + s.dropped, 0);
  if (!clean) {
    return { ...base, ok: false, detail: after.length === 0 ? 'the traffic ended before the fault did' : `no clean second in the ${after.length} s after the fault (${after.reduce((n, s) => n + s.failed, 0)} failed)` };
  }
  const ms = clean.t - healedAt;
  const ok = ms <= input.timing.recoveryBoundMs + 1000;
  return { ...base, ok, detail: `first clean second ended ${(ms / 1000).toFixed(1)} s after the fault (${duringFault} failed or dropped around the fault)` };
}

async function databaseChecks(input: JudgeInput): Promise<ChaosCheck[]> {
  const database = input.context.database;
  if (!database) return [];
  const counters = database.pool.counters();
  const leaks: ChaosCheck = {
    id: 'no-leaked-client',
    title: 'No leaked client',
    ok: counters.leaks.length === 0 && counters.counts.leased === 0,
    detail:
      counters.leaks.length > 0
        ? `${counters.leaks.length} held past the leak threshold: ${counters.leaks.map((l) => l.label).join(', ')}`
        : counters.counts.leased > 0
          ? `${counters.counts.leased} still checked out after the traffic ended`
          : `none held; pool ${counters.counts.total} open / ${counters.counts.max} max`,
  };
  const server = await serverView(input);
  return [leaks, server];
}

/** PostgreSQL's own count of our sessions, after the traffic ended: at most the pool's bound. */
async function serverView(input: JudgeInput): Promise<ChaosCheck> {
  const database = input.context.database!;
  const base = { id: 'server-connections' as const, title: "Server's view (pg_stat_activity)" };
  const settings = database.pool.settings;
  const client = new pg.Client({ ...database.clientConfig(), connectionTimeoutMillis: 5000, application_name: 'bulkhead-chaos-check' });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const result = await client.query<{ state: string | null; n: string }>('SELECT state, count(*) AS n FROM pg_stat_activity WHERE application_name = $1 GROUP BY state', [settings.applicationName]);
    const byState = Object.fromEntries(result.rows.map((row) => [row.state ?? 'unknown', Number(row.n)]));
    const ours = Object.values(byState).reduce((n, v) => n + v, 0);
    const stuck = byState['idle in transaction'] ?? 0;
    const ok = ours <= settings.max && stuck === 0;
    const states = Object.entries(byState).map(([state, n]) => `${n} ${state}`).join(', ') || 'none';
    return { ...base, ok, detail: `${ours} session(s) named ${settings.applicationName} (${states}); the pool allows ${settings.max}` };
  } catch (error) {
    return { ...base, ok: false, detail: `could not ask the server: ${describeError(error)}` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

function requestsAccounted(outcome: SessionOutcome): ChaosCheck {
  const base = { id: 'requests-accounted' as const, title: 'Every request accounted for' };
  const started = outcome.samples.reduce((n, s) => n + s.started, 0);
  const completed = outcome.samples.reduce((n, s) => n + s.completed, 0);
  const failed = outcome.samples.reduce((n, s) => n + s.failed, 0);
  const dropped = outcome.samples.reduce((n, s) => n + s.dropped, 0);
  const untyped = outcome.samples.reduce((n, s) => n + (s.errors.internal ?? 0), 0);
  const summary = outcome.summary;
  if (summary) {
    const r = summary.requests;
    const whole = summary.status === 'completed' ? r.planned === r.completed + r.failed + r.dropped : true;
    const ok = whole && (summary.errors.internal ?? 0) === 0;
    const detail = `${r.planned} planned = ${r.completed} completed + ${r.failed} failed + ${r.dropped} dropped${whole ? '' : ` — ${r.planned - r.completed - r.failed - r.dropped} missing`}${(summary.errors.internal ?? 0) > 0 ? `; ${summary.errors.internal} failed without a typed error` : ''}`;
    return { ...base, ok, detail };
  }
  const ok = started === completed + failed && untyped === 0;
  return { ...base, ok, detail: `${started} started = ${completed} completed + ${failed} failed (${dropped} dropped)${untyped > 0 ? `; ${untyped} untyped` : ''}` };
}

function recordComplete(outcome: SessionOutcome): ChaosCheck {
  const seconds = outcome.samples.map((s) => s.second).sort((a, b) => a - b);
  const gaps = seconds.filter((second, i) => i > 0 && second !== seconds[i - 1]! + 1).length;
  const expected = outcome.summary ? Math.floor(outcome.summary.duration_s) : seconds.length;
  const ok = seconds.length > 0 && gaps === 0 && seconds[0] === 1 && seconds.length >= expected - 1;
  return {
    id: 'run-record-complete',
    title: 'Run record complete',
    ok,
    detail: `${seconds.length} per-second samples${gaps > 0 ? `, ${gaps} gap(s)` : ', no gaps'}${outcome.summary ? ` for a ${outcome.summary.duration_s} s run` : ''}`,
  };
}
