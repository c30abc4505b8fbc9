import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunRecord, StartRunParams } from '../../../shared/contract/stress';
import type { StressProfileInput } from '../../../shared/contract/stress-profile';
import { sleep, systemClock, type Clock, type TimerHandle } from '../clock/clock';
import { useTestDatabase } from '../db/testing/test-database';
import { startStack, type Stack } from '../stack';
import { openAppStore } from '../store/app-store';
import { makeTempDir } from '../testing/temp-dir';
import { createRunsRepo } from './runs-repo';

const db = useTestDatabase('stress');
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The system clock, remembering where each pending timer was armed (to find timers a run left behind). */
function tracingClock(): Clock & { pendingFrom(pattern: RegExp): string[] } {
  const pending = new Map<TimerHandle, string>();
  return {
    now: () => systemClock.now(),
    setTimeout(callback, ms) {
      const handle: TimerHandle = systemClock.setTimeout(() => {
        pending.delete(handle);
        callback();
      }, ms);
      // The stack without this wrapper's own frames, so the pattern sees who armed the timer.
      const stack = (new Error('armed here').stack ?? '').split('\n').filter((line) => !line.includes('stress-service.test')).join('\n');
      pending.set(handle, stack);
      return handle;
    },
    clearTimeout(handle) {
      pending.delete(handle);
      systemClock.clearTimeout(handle);
    },
    pendingFrom: (pattern) => [...pending.values()].filter((stack) => pattern.test(stack)),
  };
}

async function stackWithDatabase(options: { applicationName: string; clock?: Clock; dataDir?: string; database?: 'none' }): Promise<Stack> {
  let dataDir = options.dataDir;
  if (!dataDir) {
    const dir = makeTempDir();
    cleanups.push(() => dir.remove());
    dataDir = dir.path;
  }
  const stack = await startStack({
    dataDir,
    role: 'test',
    ...(options.clock ? { clock: options.clock } : {}),
    database: options.database ?? { url: db.url },
    poolOverrides: { applicationName: options.applicationName, min: 1, max: 6 },
    // These tests check that the workflows run and clean up, not load shedding: a busy CI machine must
    // not turn a slow second into a shed request (governed mode's default wait is 1 s).
    env: { ...process.env, BULKHEAD_AGENT_WAIT_TIMEOUT_MS: '15000' },
  });
  cleanups.push(() => stack.stop());
  if (options.database !== 'none') await stack.core.database.whenReady();
  return stack;
}

async function runToEnd(stack: Stack, params: StartRunParams, during?: (runId: string) => Promise<void>): Promise<RunRecord> {
  let runId = '';
  const finished = new Promise<RunRecord>((resolve) => {
    const stop = stack.hub.subscribe('stress.finished', (record) => {
      if (record.id !== runId) return;
      stop();
      resolve(record);
    });
  });
  const outcome = await stack.dispatcher.dispatch('stress.start', params, { transport: 'in-process' });
  if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
  runId = (outcome.result as { runId: string }).runId;
  await during?.(runId);
  return finished;
}

async function ourSessions(applicationName: string): Promise<Array<{ state: string | null }>> {
  const client = new pg.Client(db.url);
  await client.connect();
  try {
    const result = await client.query<{ state: string | null }>(
      'SELECT state FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
      [applicationName],
    );
    return result.rows;
  } finally {
    await client.end();
  }
}

const shortProfile: StressProfileInput = {
  name: 'short',
  mix: { 'rag-answer': 3, ingest: 1 },
  stages: [{ executor: 'constant-arrival-rate', durationS: 2, rate: 8 }],
  maxVUs: 50,
  gracefulStopS: 10,
  thresholds: { errors: ['rate<0.01'], latency_ms: ['p(99)<10000'] },
};

describe('stress runs against the embedded PostgreSQL and the simulator', () => {
  for (const mode of ['governed', 'adaptive', 'unbounded'] as const) {
    it(`runs the agent workflows in ${mode} mode, stores the run with its samples and cleans up after itself`, async () => {
      const applicationName = `bh-stress-${mode}-${randomBytes(3).toString('hex')}`;
      const stack = await stackWithDatabase({ applicationName });
      const record = await runToEnd(stack, { profile: shortProfile, mode, provider: 'simulator' });

      expect(record.status).toBe('completed');
      const s = record.summary!;
      expect(s.mode).toBe(mode);
      expect(s.requests).toMatchObject({ planned: 16, completed: 16, failed: 0, dropped: 0 });
      expect(s.ok).toBe(true);
      expect(s.provider.calls).toBeGreaterThanOrEqual(12);
      expect(s.provider.http_429).toBe(0);
      expect(s.db.max_server_connections).toBeGreaterThan(0);
      if (mode !== 'unbounded') {
        expect(s.db.pool_max).toBe(6);
        expect(s.db.max_server_connections).toBeLessThanOrEqual(6);
        expect(s.db.acquire_wait_p99_ms).not.toBeNull();
      } else {
        expect(s.db.pool_max).toBeNull();
      }
      expect(record.config.providerEndpoint).toMatch(/^simulator http:\/\/127\.0\.0\.1:\d+/);

      const stored = await stack.dispatcher.dispatch('stress.runs.get', { runId: record.id }, { transport: 'in-process' });
      expect(stored.ok).toBe(true);
      const samples = (stored as { result: { samples: Array<{ started: number; completed: number; adaptiveLimits?: Record<string, number> }> } }).result.samples;
      expect(samples.length).toBeGreaterThanOrEqual(2);
      // Adaptive mode records where its limits stood each second; the others have none.
      if (mode === 'adaptive') expect(samples[0]!.adaptiveLimits).toEqual({ provider: expect.any(Number), retrieval: expect.any(Number) });
      else expect(samples[0]!.adaptiveLimits).toBeUndefined();
      expect(samples.reduce((n, sample) => n + sample.started, 0)).toBe(16);

      // The run's answers and ingested documents are removed again.
      const client = new pg.Client(db.url);
      await client.connect();
      try {
        const answers = await client.query('SELECT count(*)::int AS n FROM agent_answers WHERE run_id = $1', [record.id]);
        const documents = await client.query('SELECT count(*)::int AS n FROM rag_documents WHERE starts_with(source, $1)', [`stress/${record.id}/`]);
        expect(answers.rows[0]).toEqual({ n: 0 });
        expect(documents.rows[0]).toEqual({ n: 0 });
      } finally {
        await client.end();
      }
    });
  }

  for (const mode of ['unbounded', 'governed'] as const) {
    it(`stop mid-run (${mode}) cancels in-flight work and leaves no client checked out, no query running and no timer armed`, async () => {
      const applicationName = `bh-stop-${mode}-${randomBytes(3).toString('hex')}`;
      const clock = tracingClock();
      const stack = await stackWithDatabase({ applicationName, clock });
      // Slow provider answers keep requests in flight when the stop comes.
      const slow: StressProfileInput = { ...shortProfile, name: 'slow', stages: [{ executor: 'constant-arrival-rate', durationS: 30, rate: 6 }], simulator: { latencyMs: 4_000 } };
      const record = await runToEnd(stack, { profile: slow, mode, provider: 'simulator' }, async () => {
        for (let waited = 0; waited < 20_000; waited += 100) {
          const status = await stack.dispatcher.dispatch('stress.status', {}, { transport: 'in-process' });
          const progress = (status as { result: { requests: { inFlight: number } } | null }).result;
          if (progress && progress.requests.inFlight >= 3) break;
          await sleep(systemClock, 100);
        }
        await stack.dispatcher.dispatch('stress.stop', {}, { transport: 'in-process' });
      });

      expect(record.status).toBe('stopped');
      expect(record.summary?.errors.aborted ?? 0).toBeGreaterThan(0);
      expect(record.summary!.duration_s).toBeLessThan(20);
      // Nothing the run armed is still pending: scheduler, sampler, probe, simulator, limiter, retries.
      expect(clock.pendingFrom(/[/\\](stress|agents|providers|ratelimit)[/\\]/)).toEqual([]);
      // The pool has every client back, and the server runs nothing for us any more.
      const counts = stack.core.database.snapshot().counts;
      expect(counts.leased).toBe(0);
      const sessions = await ourSessions(applicationName);
      expect(sessions.filter((session) => session.state !== 'idle')).toEqual([]);
      expect(sessions.length).toBeLessThanOrEqual(counts.total);
    });
  }

  it('marks a run left running by a crashed process as interrupted, keeping its samples', async () => {
    const dir = makeTempDir();
    cleanups.push(() => dir.remove());
    const store = openAppStore({ dataDir: dir.path });
    const repo = createRunsRepo(store.db);
    const config = {
      profile: { ...shortProfile, description: '', gracefulStopS: 10, thresholds: {} },
      mode: 'governed',
      provider: 'simulator',
      providerUrl: null,
      chaos: null,
      rateOverride: null,
      durationOverrideS: null,
      baseline: null,
      saveBaseline: null,
      source: 'cli',
      providerEndpoint: null,
    } as unknown as Parameters<typeof repo.create>[0]['config'];
    repo.create({ id: 'run-crashed', name: 'short', createdAt: 1_000, startedAt: 1_000, config });
    const sample = { t: 2_000, second: 1, targetRate: 8, started: 8, completed: 7, failed: 0, dropped: 0, late: 0, inFlight: 1, latencyMs: { p50: 1, p95: 2, p99: 3, max: 4 }, errors: {}, http429: 0, retries: 0, dbConnections: 3, poolWaiting: 0, semaphoreWaitP99Ms: null, limiterWaitP99Ms: null, poolAcquireP99Ms: null, providerP95Ms: null, eventLoopP99Ms: 1, rssMb: 100, heapUsedMb: 30 };
    repo.appendSample('run-crashed', sample);
    repo.appendSample('run-crashed', { ...sample, t: 3_000, second: 2 });
    store.close();

    const stack = await stackWithDatabase({ applicationName: 'unused', dataDir: dir.path, database: 'none' });
    const got = await stack.dispatcher.dispatch('stress.runs.get', { runId: 'run-crashed' }, { transport: 'in-process' });
    expect(got.ok).toBe(true);
    const { run, samples } = (got as { result: { run: RunRecord; samples: unknown[] } }).result;
    expect(run.status).toBe('interrupted');
    expect(run.endedAt).toBe(3_000);
    expect(run.error).toContain('2 per-second samples');
    expect(samples).toHaveLength(2);
  });
});
