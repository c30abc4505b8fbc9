import { describe, expect, it } from 'vitest';
import type { RunSample } from '../../../shared/contract/stress';
import { validateProfile } from './profiles';
import { sleep } from '../clock/clock';
import { ManualClock } from '../clock/manual-clock';
import { BulkheadError } from '../errors';
import { StressRunner } from './stress-runner';
import { parseThresholds } from './thresholds';
import { EMPTY_INTERVAL, type StressWorkload } from './workload';

async function drive<T>(clock: ManualClock, done: Promise<T>, stepMs = 5, limitMs = 120_000): Promise<T> {
  let settled = false;
  void done.finally(() => (settled = true));
  for (let spent = 0; !settled && spent < limitMs; spent += stepMs) await clock.advanceAsync(stepMs);
  if (!settled) throw new Error('run did not finish');
  return done;
}

/** A workload on the manual clock: 100 ms per request; every 5th is shed, every 7th hits "too many clients". */
function scriptedWorkload(clock: ManualClock): StressWorkload & { calls: string[] } {
  const calls: string[] = [];
  let http429 = 0;
  return {
    calls,
    description: 'scripted',
    async execute(workflow, arrival) {
      calls.push(workflow);
      await sleep(clock, 100, arrival.signal);
      if (arrival.index % 5 === 4) throw new BulkheadError('QUEUE_FULL', 'agents has 10 waiting already (its limit).');
      if (arrival.index % 7 === 6) throw Object.assign(new Error('sorry, too many clients already'), { code: '53300' });
      if (arrival.index % 10 === 3) http429 += 1;
    },
    takeInterval: () => {
      const interval = { ...EMPTY_INTERVAL, http429 };
      http429 = 0;
      return interval;
    },
    totals: () => ({ http429: 0, retries: 0, providerCalls: calls.length, providerName: 'scripted', poolMax: 10 }),
    stage: () => null,
    close: async () => undefined,
  };
}

const profile = validateProfile(
  {
    name: 'unit',
    stages: [{ executor: 'constant-arrival-rate', durationS: 3, rate: 10 }],
    maxVUs: 100,
    gracefulStopS: 1,
    mix: { 'rag-answer': 3, ingest: 1 },
  },
  'unit',
);

describe('StressRunner', () => {
  it('runs the plan, classifies failures, samples each second and evaluates thresholds', async () => {
    const clock = new ManualClock();
    const workload = scriptedWorkload(clock);
    const samples: RunSample[] = [];
    let connections = 3;
    const runner = new StressRunner({
      clock,
      runId: 'r1',
      profile,
      mode: 'governed',
      workload,
      thresholds: parseThresholds({ latency_ms: ['p(95)<150', 'p(99)<50'], errors: ['rate<0.2'], shed: ['rate<0.1'], db_server_connections: ['max<=8'] }),
      connections: { sample: async () => (connections += 1) },
      onSample: (sample) => samples.push(sample),
    });
    const summary = await drive(clock, runner.run());

    expect(summary.status).toBe('completed');
    expect(summary.requests).toEqual({ planned: 30, completed: 30 - 6 - 4, failed: 10, dropped: 0, late: 0, shed: 6 });
    expect(summary.errors).toEqual({ shed_queue_full: 6, too_many_clients: 4 });
    expect(summary.db.too_many_clients).toBe(4);
    // Latency is from the intended start: 100 ms of work plus at most a tick of start lag.
    expect(summary.latency_ms.p50).toBeGreaterThanOrEqual(100);
    expect(summary.latency_ms.max).toBeLessThan(110);
    expect(summary.rate).toEqual({ target: 10, achieved: 10, peak: 10 });
    expect(summary.thresholds.map((t) => [t.expr, t.ok])).toEqual([
      ['latency_ms: p(95)<150', true],
      ['latency_ms: p(99)<50', false],
      ['errors: rate<0.2', true],
      ['shed: rate<0.1', false],
      ['db_server_connections: max<=8', false],
    ]);
    expect(summary.ok).toBe(false);
    expect(summary.db.max_server_connections).toBeGreaterThan(8);
    // The mix is kept: three rag-answer per ingest.
    expect(workload.calls.filter((w) => w === 'ingest').length).toBeGreaterThanOrEqual(6);
    expect(workload.calls.filter((w) => w === 'ingest').length).toBeLessThanOrEqual(9);
    // One sample per second plus the last partial one, with every request accounted for.
    expect(samples.length).toBeGreaterThanOrEqual(3);
    expect(samples.map((s) => s.second)).toEqual(samples.map((_, i) => i + 1));
    expect(samples.reduce((n, s) => n + s.started, 0)).toBe(30);
    expect(samples.reduce((n, s) => n + s.completed + s.failed, 0)).toBe(30);
    expect(samples[0]!.started).toBe(10);
    expect(samples[1]!.targetRate).toBe(10);
    expect(clock.pendingTimers).toBe(0);
  });

  it('aborts when an abortOnFail threshold fails after its delay', async () => {
    const clock = new ManualClock();
    const long = validateProfile({ ...profile, stages: [{ executor: 'constant-arrival-rate', durationS: 20, rate: 10 }] }, 'long');
    const runner = new StressRunner({
      clock,
      runId: 'r2',
      profile: long,
      mode: 'unbounded',
      workload: scriptedWorkload(clock),
      thresholds: parseThresholds({ errors: [{ threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: '2s' }] }),
    });
    const summary = await drive(clock, runner.run());
    expect(summary.status).toBe('aborted');
    expect(runner.abortReason).toContain('errors: rate<0.01');
    expect(summary.ok).toBe(false);
    expect(summary.duration_s).toBeLessThan(4);
    expect(summary.requests.completed + summary.requests.failed).toBeLessThan(40);
  });

  it('stops on the signal, cancelling in-flight requests, and reports them as aborted', async () => {
    const clock = new ManualClock();
    const slow: StressWorkload = { ...scriptedWorkload(clock), execute: (_w, arrival) => sleep(clock, 60_000, arrival.signal) };
    const controller = new AbortController();
    const runner = new StressRunner({ clock, runId: 'r3', profile, mode: 'governed', workload: slow, thresholds: [] });
    const run = runner.run(controller.signal);
    await clock.advanceAsync(1_500);
    expect(runner.progress()).toMatchObject({ status: 'running', requests: { started: 16, inFlight: 16 } });
    controller.abort();
    const summary = await drive(clock, run);
    expect(summary.status).toBe('stopped');
    expect(summary.errors).toEqual({ aborted: 16 });
    expect(summary.requests.planned).toBe(30);
    expect(clock.pendingTimers).toBe(0);
  });
});
