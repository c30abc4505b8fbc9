import { describe, expect, it } from 'vitest';
import type { RunWindow, RunWindows } from '../../../shared/contract/regression';
import { compareRuns, holmAdjust } from './compare-runs';
import { syntheticRun } from './synthetic-runs';

function windows(values: Partial<RunWindow>[], windowMs = 5000): RunWindows {
  return {
    windowMs,
    windows: values.map((v, i) => ({ startMs: i * windowMs, throughput: 40, p50: 50, p95: 90, p99: 120, errorRate: 0, requests: 200, ...v })),
  };
}

function compare(baseline: RunWindows, current: RunWindows, settings = {}) {
  return compareRuns({ baseline: { name: 'main', runId: 'run-a', data: baseline }, current: { runId: 'run-b', data: current }, settings });
}

const base = Array.from({ length: 10 }, (_, i) => ({ p50: 50 + (i % 5), p95: 90 + (i % 7), p99: 120 + (i % 4), throughput: 40 + (i % 3) / 10 }));

describe('compareRuns', () => {
  it('flags a clear 20 % latency slowdown as regressed and says which metric moved and by how much', () => {
    const slow = base.map((w) => ({ ...w, p95: w.p95 * 1.2 }));
    const report = compare(windows(base), windows(slow));
    const p95 = report.metrics.find((m) => m.metric === 'p95')!;
    expect(p95.verdict).toBe('regressed');
    expect(p95.changePct).toBeGreaterThan(15);
    expect(p95.adjustedP).toBeLessThan(0.05);
    expect(p95.confidence).toBeGreaterThan(0.95);
    expect(p95.explanation).toMatch(/latency p95 got worse: .* \(\+\d+\.\d %\)/);
    expect(report.regressed).toBe(true);
    expect(report.summary).toContain('latency p95 +');
    expect(report.metrics.find((m) => m.metric === 'p50')!.verdict).toBe('unchanged');
  });

  it('treats lower throughput as worse and higher throughput as better', () => {
    const lower = compare(windows(base), windows(base.map((w) => ({ ...w, throughput: w.throughput * 0.8 }))));
    expect(lower.metrics.find((m) => m.metric === 'throughput')!.verdict).toBe('regressed');
    const higher = compare(windows(base), windows(base.map((w) => ({ ...w, throughput: w.throughput * 1.25 }))));
    expect(higher.metrics.find((m) => m.metric === 'throughput')!.verdict).toBe('improved');
    expect(higher.regressed).toBe(false);
    expect(higher.improved).toBe(true);
  });

  it('does not flag a consistent shift smaller than the minimum effect', () => {
    const slightly = base.map((w) => ({ ...w, p50: w.p50 * 1.03 + 10 })); // every window higher, but see below
    const report = compare(windows(base), windows(base.map((w) => ({ ...w, p50: w.p50 * 1.03 }))));
    const p50 = report.metrics.find((m) => m.metric === 'p50')!;
    expect(p50.verdict).toBe('unchanged');
    expect(p50.explanation).toContain('within the 5 % minimum effect');
    // the same data with a large shift is flagged, so the test above can fail
    expect(compare(windows(base), windows(slightly)).metrics.find((m) => m.metric === 'p50')!.verdict).toBe('regressed');
  });

  it('does not flag a large change in medians when the windows overlap (noise)', () => {
    const noisyBase = [40, 80, 45, 85, 50, 90, 42, 88, 47, 83].map((p99) => ({ p99 }));
    const noisyCurrent = [44, 95, 50, 92, 41, 99, 47, 90, 52, 96].map((p99) => ({ p99 }));
    const p99 = compare(windows(noisyBase), windows(noisyCurrent)).metrics.find((m) => m.metric === 'p99')!;
    expect(Math.abs(p99.changePct ?? 0)).toBeGreaterThan(5);
    expect(p99.verdict).toBe('unchanged');
    expect(p99.explanation).toMatch(/overlap too much|do not shift/);
  });

  it('needs an absolute move for the error rate, not only a percentage', () => {
    const tiny = compare(
      windows(base.map((w) => ({ ...w, errorRate: 0.0001 }))),
      windows(base.map((w) => ({ ...w, errorRate: 0.0003 }))),
    );
    expect(tiny.metrics.find((m) => m.metric === 'errorRate')!.verdict).toBe('unchanged');
    const real = compare(
      windows(base.map((w, i) => ({ ...w, errorRate: 0.001 + i * 0.0001 }))),
      windows(base.map((w, i) => ({ ...w, errorRate: 0.03 + i * 0.0001 }))),
    );
    const errorRate = real.metrics.find((m) => m.metric === 'errorRate')!;
    expect(errorRate.verdict).toBe('regressed');
    expect(errorRate.unit).toBe('%');
    expect(errorRate.currentMedian).toBeCloseTo(3.045, 2);
  });

  it('reports insufficient data instead of guessing with too few windows', () => {
    const report = compare(windows(base.slice(0, 3)), windows(base.slice(0, 3).map((w) => ({ ...w, p95: w.p95 * 2 }))));
    expect(report.metrics.every((m) => m.verdict === 'insufficient-data')).toBe(true);
    expect(report.regressed).toBe(false);
    expect(report.summary).toContain('too few measurement windows');
  });

  it('applies the caller’s minimum effect', () => {
    const slow = windows(base.map((w) => ({ ...w, p95: w.p95 * 1.2 })));
    expect(compare(windows(base), slow, { minEffectPct: 30 }).regressed).toBe(false);
    expect(compare(windows(base), slow, { minEffectPct: 10 }).regressed).toBe(true);
  });
});

describe('Holm adjustment', () => {
  it('multiplies the smallest p by m and keeps the adjusted values monotone', () => {
    expect(holmAdjust([0.01, 0.04, 0.03, 0.5])).toEqual([0.04, 0.09, 0.09, 0.5]);
    expect(holmAdjust([0.9, 0.9])).toEqual([1, 1]);
  });
});

/**
 * Calibration on synthetic runs (see synthetic-runs.ts for the noise model: log-normal request latency,
 * ±2 % drift per run, ±5 % wobble per window, 20 windows of 3 s at 40 req/s: a one-minute run).
 * Seeded, so the counts are exact and repeatable.
 */
describe('regression gate calibration', () => {
  const pairs = (count: number, slowdown: number, seed0: number) =>
    Array.from({ length: count }, (_, i) =>
      compare(syntheticRun(seed0 + 2 * i), syntheticRun(seed0 + 2 * i + 1, { slowdown })),
    );

  it('stays quiet in at least 19 of 20 same-code reruns', () => {
    const flagged = pairs(20, 1, 1000).filter((r) => r.regressed).length;
    expect(flagged).toBeLessThanOrEqual(1);
  });

  it('detects an injected 20 % slowdown in at least 19 of 20 runs, naming only latency metrics', () => {
    const reports = pairs(20, 1.2, 5000);
    expect(reports.filter((r) => r.regressed).length).toBeGreaterThanOrEqual(19);
    for (const report of reports) {
      const moved = report.metrics.filter((m) => m.verdict === 'regressed').map((m) => m.metric);
      for (const metric of moved) expect(['p50', 'p95', 'p99']).toContain(metric);
    }
  });

  it('keeps the false-alarm rate under 5 % over 1,000 same-distribution pairs and reports it', () => {
    const reports = pairs(1000, 1, 20_000);
    const falseAlarms = reports.filter((r) => r.regressed).length;
    const detected = pairs(1000, 1.2, 90_000).filter((r) => r.regressed).length;
    const detectedTen = pairs(250, 1.1, 190_000).filter((r) => r.regressed).length;
    console.info(
      `regression gate calibration: false alarms ${falseAlarms}/1000 (${(falseAlarms / 10).toFixed(1)} %), ` +
        `20 % slowdown detected ${detected}/1000, 10 % slowdown detected ${detectedTen}/250`,
    );
    expect(falseAlarms / 1000).toBeLessThan(0.05);
    expect(detected / 1000).toBeGreaterThan(0.95);
    // 2,250 seeded comparisons: CPU-bound, about 30 s on a busy 2-core machine. The counts, not the time, are the test.
  }, 180_000);
});
