import { afterEach, describe, expect, it } from 'vitest';
import type { RunConfig, RunSample } from '../../../shared/contract/stress';
import { ManualClock } from '../clock/manual-clock';
import { createRandom } from '../providers/simulator/prng';
import { openAppStore, type AppStore } from '../store/app-store';
import { createRunsRepo } from '../stress/runs-repo';
import { makeTempDir } from '../testing/temp-dir';
import { createRegressionGate } from './regression-gate';
import { runWindows } from './run-windows';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).reverse().forEach((c) => c()));

function store(): AppStore {
  const dir = makeTempDir();
  const opened = openAppStore({ dataDir: dir.path });
  cleanups.push(() => dir.remove(), () => opened.close());
  return opened;
}

const T0 = 1_700_000_000_000;

/** Per-second samples of a steady run: ~20 req/s, log-normal latency around `median` ms. */
function seconds(count: number, seed: number, options: { median?: number; slowdown?: number; failEvery?: number } = {}): RunSample[] {
  const random = createRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(Math.max(1e-12, random.next()))) * Math.cos(2 * Math.PI * random.next());
  const median = (options.median ?? 300) * (options.slowdown ?? 1);
  return Array.from({ length: count }, (_, i): RunSample => {
    const wobble = Math.exp(0.05 * gaussian());
    const completed = 18 + random.int(0, 4);
    const failed = options.failEvery && i % options.failEvery === 0 ? 1 : 0;
    return {
      t: T0 + (i + 1) * 1000,
      second: i + 1,
      targetRate: 20,
      started: completed + failed,
      completed,
      failed,
      dropped: 0,
      late: 0,
      inFlight: 5,
      latencyMs: { p50: median * wobble, p95: median * 1.3 * wobble, p99: median * 1.45 * wobble, max: median * 1.6 * wobble },
      errors: failed ? { provider_5xx: failed } : ({} as Record<string, number>),
      http429: 0,
      retries: 0,
      dbConnections: 5,
      poolWaiting: 0,
      semaphoreWaitP99Ms: null,
      limiterWaitP99Ms: null,
      poolAcquireP99Ms: 3,
      providerP95Ms: null,
      eventLoopP99Ms: 4,
      rssMb: 150,
      heapUsedMb: 40,
    };
  });
}

function config(mode: RunConfig['mode'] = 'governed'): RunConfig {
  return {
    profile: { name: 'light', description: '', mix: { 'rag-answer': 1 }, stages: [{ executor: 'constant-arrival-rate', durationS: 60, rate: 20 }], maxVUs: 100, gracefulStopS: 10, thresholds: {} },
    mode,
    provider: 'simulator',
    providerUrl: null,
    chaos: null,
    rateOverride: 20,
    durationOverrideS: 60,
    baseline: null,
    saveBaseline: null,
    source: 'cli',
    providerEndpoint: null,
  } as RunConfig;
}

function storeRun(s: AppStore, id: string, samples: RunSample[], mode: RunConfig['mode'] = 'governed') {
  const runs = createRunsRepo(s.db);
  runs.create({ id, name: 'light', createdAt: T0, startedAt: T0, config: config(mode) });
  for (const sample of samples) runs.appendSample(id, sample);
  runs.finish(id, { status: 'completed', endedAt: T0 + samples.length * 1000, summary: null, error: null });
  return runs.get(id)!;
}

const ctx = { transport: 'in-process' } as const;

describe('runWindows', () => {
  it('cuts 60 seconds into 20 windows of 3 s with request-weighted percentiles', () => {
    const samples = seconds(60, 1);
    const { windowMs, windows } = runWindows(samples);
    expect(windowMs).toBe(3000);
    expect(windows).toHaveLength(20);
    const first = samples.slice(0, 3);
    const completed = first.reduce((n, s) => n + s.completed, 0);
    expect(windows[0]!.throughput).toBeCloseTo(completed / 3, 10);
    expect(windows[0]!.p95).toBeCloseTo(first.reduce((n, s) => n + s.latencyMs.p95 * s.completed, 0) / completed, 10);
  });

  it('counts dropped arrivals as errors, skips empty seconds, and leaves latency empty when nothing completed', () => {
    const samples = seconds(6, 2);
    samples[0] = { ...samples[0]!, completed: 0, failed: 0, dropped: 0, started: 0 };
    samples[1] = { ...samples[1]!, completed: 0, failed: 2, dropped: 3 };
    samples[2] = { ...samples[2]!, completed: 10, failed: 0, dropped: 10 };
    const { windows } = runWindows(samples, new Map(), 1);
    expect(windows).toHaveLength(5);
    expect(windows[0]).toMatchObject({ errorRate: 1, p50: null, throughput: 0 });
    expect(windows[1]!.errorRate).toBeCloseTo(0.5, 10);
  });
});

describe('regression gate over stored runs', () => {
  it('saves a baseline, passes a same-code rerun, and flags a 20 % slowdown naming the metric', () => {
    const s = store();
    const gate = createRegressionGate({ db: s.db, clock: new ManualClock(T0) });
    const base = storeRun(s, 'run-base', seconds(60, 10));
    gate.saveBaseline('main', base, seconds(60, 10));

    const same = storeRun(s, 'run-same', seconds(60, 11));
    const quiet = gate.compare('main', same, seconds(60, 11));
    expect(quiet.regressed).toBe(false);
    expect(quiet.detail).toContain('No regression against baseline "main"');

    const slowSamples = seconds(60, 12, { slowdown: 1.2 });
    const slow = storeRun(s, 'run-slow', slowSamples);
    const flagged = gate.compare('main', slow, slowSamples);
    expect(flagged.regressed).toBe(true);
    expect(flagged.detail).toMatch(/Regression against baseline "main": latency p50 \+\d+\.\d %/);
    expect(flagged.detail).toContain('latency p50 got worse');

    const report = gate.report('main', 'run-slow');
    const p50 = report.metrics.find((m) => m.metric === 'p50')!;
    expect(p50).toMatchObject({ verdict: 'regressed', method: 'exact' });
    expect(p50.changePct).toBeGreaterThan(15);
    expect(p50.confidence).toBeGreaterThan(0.99);
    expect(report.metrics.find((m) => m.metric === 'throughput')!.verdict).toBe('unchanged');
  });

  it('says when the baseline ran a different mode', () => {
    const s = store();
    const gate = createRegressionGate({ db: s.db, clock: new ManualClock(T0) });
    gate.saveBaseline('main', storeRun(s, 'a', seconds(60, 1)), seconds(60, 1));
    const other = storeRun(s, 'b', seconds(60, 2), 'unbounded');
    expect(gate.compare('main', other, seconds(60, 2)).detail).toContain('Note: the baseline ran light · governed');
  });

  it('checks names before a run: an unknown baseline lists the saved ones, a bad name says how to write it', () => {
    const s = store();
    const gate = createRegressionGate({ db: s.db, clock: new ManualClock(T0) });
    gate.saveBaseline('v1.4', storeRun(s, 'a', seconds(30, 1)), seconds(30, 1));
    expect(() => gate.checkBeforeRun({ baseline: 'v1.5' })).toThrow(expect.objectContaining({ code: 'BASELINE_NOT_FOUND', remedy: 'Saved baselines: v1.4.' }));
    expect(() => gate.checkBeforeRun({ saveBaseline: 'my baseline!' })).toThrow(expect.objectContaining({ code: 'BASELINE_BAD_NAME' }));
    expect(() => gate.checkBeforeRun({ baseline: 'v1.4', saveBaseline: 'next' })).not.toThrow();
  });

  it('refuses a run too short to be a baseline', () => {
    const s = store();
    const gate = createRegressionGate({ db: s.db, clock: new ManualClock(T0) });
    expect(() => gate.saveBaseline('short', storeRun(s, 'a', seconds(4, 1)), seconds(4, 1))).toThrow(expect.objectContaining({ code: 'BASELINE_TOO_SHORT' }));
  });

  it('answers the panel: save from a stored run, list with medians, compare, delete', async () => {
    const s = store();
    const gate = createRegressionGate({ db: s.db, clock: new ManualClock(T0) });
    storeRun(s, 'run-a', seconds(60, 3));
    storeRun(s, 'run-b', seconds(60, 4, { slowdown: 1.25 }));
    const saved = await gate.handlers['regression.baselines.save']({ name: 'main', runId: 'run-a' }, ctx);
    expect(saved).toMatchObject({ name: 'main', runId: 'run-a', windows: 20, windowMs: 3000, label: 'light · governed · 20 req/s' });
    expect(saved.medians.p50).toBeGreaterThan(250);
    expect(await gate.handlers['regression.baselines.list']({}, ctx)).toHaveLength(1);
    const report = await gate.handlers['regression.compare']({ baseline: 'main', runId: 'run-b' }, ctx);
    expect(report.regressed).toBe(true);
    const lenient = await gate.handlers['regression.compare']({ baseline: 'main', runId: 'run-b', minEffectPct: 40 }, ctx);
    expect(lenient.regressed).toBe(false);
    expect(() => gate.handlers['regression.compare']({ baseline: 'main', runId: 'nope' }, ctx)).toThrow(expect.objectContaining({ code: 'RUN_NOT_FOUND' }));
    expect(await gate.handlers['regression.baselines.delete']({ name: 'main' }, ctx)).toEqual({ deleted: true });
    expect(await gate.handlers['regression.baselines.list']({}, ctx)).toEqual([]);
  });
});
