import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChaosRun, RunRecord } from '../../../../shared/contract';
import { silentLogger } from '../../log/logger';
import { startStack, type Stack } from '../../stack';
import { makeTempDir } from '../../testing/temp-dir';

/**
 * Every scenario for real, inside a short stress run: the stack on its own embedded PostgreSQL, the
 * built-in provider simulator, light traffic (10 req/s for 14 s). Each must end with a passed verdict:
 * fault injected, dependency back within the bound, requests succeeding again, no leaked client, the
 * server's own count within the pool bound, no unhandled rejection, every request accounted for.
 */
let stack: Stack;
const dir = makeTempDir('bulkhead-chaos-');
const ctx = { transport: 'in-process' } as const;

beforeAll(async () => {
  stack = await startStack({ dataDir: dir.path, role: 'test', log: silentLogger, database: 'auto' });
  await stack.core.database.whenReady(AbortSignal.timeout(60_000));
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  dir.remove();
}, 60_000);

async function runWithChaos(scenario: string): Promise<{ record: RunRecord; chaos: ChaosRun }> {
  let runId = '';
  const finished = new Promise<RunRecord>((resolve) => {
    const stop = stack.hub.subscribe('stress.finished', (record) => {
      if (record.id === runId) {
        stop();
        resolve(record);
      }
    });
  });
  const started = await stack.dispatcher.dispatch('stress.start', { profile: 'light', rate: 10, durationS: 14, chaos: scenario }, ctx);
  if (!started.ok) throw new Error(`${started.error.code}: ${started.error.message}`);
  runId = (started.result as { runId: string }).runId;
  const record = await finished;
  const runs = await stack.dispatcher.dispatch('chaos.runs.list', { limit: 20 }, ctx);
  const chaos = (runs.ok ? (runs.result as ChaosRun[]) : []).find((run) => run.stressRunId === runId);
  if (!chaos) throw new Error(`no chaos run stored for ${runId}`);
  return { record, chaos };
}

describe.each(['partition', 'latency-spike', 'db-terminate', 'db-restart', 'provider-outage', 'memory-pressure'])('chaos scenario %s inside a stress run', (scenario) => {
  it('recovers, and every check holds', async () => {
    const { record, chaos } = await runWithChaos(scenario);
    const failed = chaos.checks.filter((check) => !check.ok).map((check) => `${check.id}: ${check.detail}`);
    expect(failed).toEqual([]);
    expect(chaos.status).toBe('passed');
    expect(chaos.timeline.map((event) => event.kind)).toEqual(expect.arrayContaining(['started', 'fault-start', 'fault-end', 'recovered', 'stopped']));
    const faultStart = chaos.timeline.find((e) => e.kind === 'fault-start')!;
    const faultEnd = chaos.timeline.find((e) => e.kind === 'fault-end')!;
    const recovered = chaos.timeline.find((e) => e.kind === 'recovered')!;
    expect(faultEnd.t).toBeGreaterThanOrEqual(faultStart.t);
    expect(recovered.t).toBeGreaterThanOrEqual(faultEnd.t);
    expect(chaos.recoveryMs).not.toBeNull();
    expect(chaos.recoveryMs!).toBeLessThanOrEqual(chaos.params.recoveryBoundS * 1000);

    // The run itself: every request accounted for, the verdict on its record.
    const s = record.summary!;
    expect(s.requests.planned).toBe(s.requests.completed + s.requests.failed + s.requests.dropped);
    expect(s.errors.internal ?? 0).toBe(0);
    expect(s.chaos).toContain(chaos.summary);
  }, 90_000);
});

describe('a scenario alone', () => {
  it('runs with its own probe traffic and judges it the same way', async () => {
    const started = await stack.dispatcher.dispatch('chaos.scenarios.run', { name: 'partition', startAfterS: 1, faultS: 2, recoveryBoundS: 5 }, ctx);
    expect(started.ok).toBe(true);
    const id = started.ok ? (started.result as { id: string }).id : '';
    const verdict = await new Promise<ChaosRun>((resolve) => {
      const stop = stack.hub.subscribe('chaos.run', (run) => {
        if (run.id === id && run.status !== 'running') {
          stop();
          resolve(run);
        }
      });
    });
    expect(verdict.checks.filter((c) => !c.ok)).toEqual([]);
    expect(verdict.stressRunId).toBeNull();
    expect(verdict.checks.find((c) => c.id === 'requests-accounted')?.detail).toMatch(/^\d+ started = \d+ completed \+ \d+ failed/);
    const busy = await stack.dispatcher.dispatch('chaos.scenarios.run', { name: 'nope' }, ctx);
    expect(busy).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });
  }, 60_000);
});
