import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../../shared/latency-histogram';
import { createRegressionGate } from '../../stack/regression/regression-gate';
import { systemClock } from '../../stack/clock/clock';
import { openAppStore } from '../../stack/store/app-store';
import { createRunsRepo } from '../../stack/stress/runs-repo';
import { makeTempDir } from '../../stack/testing/temp-dir';
import { EXIT, type CliIo } from '../command';
import { runCli } from '../run-cli';

const dirs: Array<{ remove: () => void }> = [];
afterEach(() => dirs.splice(0).forEach((dir) => dir.remove()));

function tempDir(): string {
  const dir = makeTempDir();
  dirs.push(dir);
  return dir.path;
}

function capture(signal = new AbortController().signal): { io: CliIo; out: () => string } {
  let out = '';
  return { io: { stdout: (t) => void (out += t), stderr: () => undefined, isTTY: false, env: {}, signal }, out: () => out };
}

function profile(dir: string, stage: object): string {
  const path = join(dir, 'figures.json');
  writeFileSync(path, JSON.stringify({ name: 'figures', mix: { noop: 1 }, stages: [stage], maxVUs: 50, thresholds: { errors: ['rate<0.5'] } }));
  return path;
}

describe('one run, one set of numbers (real runs, their stored data)', () => {
  it("the run's p50/p95/p99 are the percentiles of its stored per-second histograms; the regression view shows them, and windows too small for a p99 have none", async () => {
    const dir = tempDir();
    // 150 requests/s for 7 s: 1-s windows of ~150 requests have a p95 and a p99.
    const busy = capture();
    expect(await runCli(['stress', '--profile', profile(dir, { executor: 'constant-arrival-rate', durationS: 7, rate: 150 }), '--json', '--data-dir', dir], busy.io)).toBe(EXIT.ok);
    const summary = JSON.parse(busy.out()) as { run_id: string; latency_ms: { p50: number; p90: number; p95: number; p99: number; max: number } };
    // 30 requests/s: windows of ~30 requests have a p95 but cannot have a p99.
    const sparse = capture();
    expect(await runCli(['stress', '--profile', profile(dir, { executor: 'constant-arrival-rate', durationS: 7, rate: 30 }), '--json', '--data-dir', dir], sparse.io)).toBe(EXIT.ok);
    const sparseId = (JSON.parse(sparse.out()) as { run_id: string }).run_id;

    const store = openAppStore({ dataDir: dir });
    try {
      const runs = createRunsRepo(store.db);
      const stored = runs.latencyBySecond(summary.run_id);
      expect(stored.size).toBeGreaterThanOrEqual(7);
      const merged = LatencyHistogram.merge(stored.values()).summary();
      expect({ p50: merged.p50, p90: merged.p90, p95: merged.p95, p99: merged.p99, max: merged.max }).toEqual(summary.latency_ms);

      const gate = createRegressionGate({ db: store.db, clock: systemClock });
      const saved = await gate.handlers['regression.baselines.save']({ name: 'busy', runId: summary.run_id }, { transport: 'in-process' });
      // The figures the baselines table shows for the run are History's, not a re-computation.
      const run = summary.latency_ms;
      expect(saved.run).toEqual({ p50: run.p50, p95: run.p95, p99: run.p99 });
      expect(saved.medians.p95).not.toBeNull();
      expect(saved.medians.p99!).toBeGreaterThanOrEqual(saved.medians.p95!);

      const report = gate.report('busy', sparseId);
      const p95 = report.metrics.find((m) => m.metric === 'p95')!;
      const p99 = report.metrics.find((m) => m.metric === 'p99')!;
      expect(p95.currentMedian).not.toBeNull();
      expect(p99).toMatchObject({ currentMedian: null, verdict: 'insufficient-data' });
      expect(p99.explanation).toContain('at least 100 requests');
    } finally {
      store.close();
    }
  }, 60_000);

  it('a run stopped early reports an achieved rate within its plan, and says which rate is which', async () => {
    const dir = tempDir();
    const controller = new AbortController();
    const { io, out } = capture(controller.signal);
    // 2 arrivals per second, stopped after 0.8 s: two arrivals (at 0 and 0.5 s) started.
    setTimeout(() => controller.abort(new Error('received SIGINT')), 800);
    const code = await runCli(['stress', '--profile', profile(dir, { executor: 'constant-arrival-rate', durationS: 30, rate: 2 }), '--data-dir', dir], io);
    expect(code).toBe(EXIT.interrupted);
    const store = openAppStore({ dataDir: dir });
    try {
      const [run] = createRunsRepo(store.db).list(1);
      expect(run!.status).toBe('stopped');
      const rate = run!.summary!.rate;
      expect(rate.achieved).toBeLessThanOrEqual(rate.peak);
      expect(out()).toContain(`achieved ${rate.achieved}/s (arrivals started ÷ scheduled seconds) · planned mean ${rate.target}/s · planned peak ${rate.peak}/s`);
    } finally {
      store.close();
    }
  }, 60_000);
});
