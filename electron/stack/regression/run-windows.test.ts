import { describe, expect, it } from 'vitest';
import type { RunSample } from '../../../shared/contract/stress';
import { LatencyHistogram, type StoredLatencyHistogram } from '../../../shared/latency-histogram';
import { runWindows } from './run-windows';

/** `seconds` samples with `perSecond` successful requests each, latencies 1..perSecond ms, and their histograms. */
function run(seconds: number, perSecond: number): { samples: RunSample[]; latency: Map<number, StoredLatencyHistogram> } {
  const samples: RunSample[] = [];
  const latency = new Map<number, StoredLatencyHistogram>();
  for (let second = 1; second <= seconds; second++) {
    const h = new LatencyHistogram();
    for (let i = 1; i <= perSecond; i++) h.recordMs(i * 10);
    latency.set(second, h.toStored());
    const s = h.summary();
    samples.push({ second, completed: perSecond, failed: 0, dropped: 0, latencyMs: { p50: s.p50, p95: s.p95, p99: s.p99, max: s.max } } as RunSample);
  }
  return { samples, latency };
}

describe('measurement windows', () => {
  it('takes a window p95 from the requests in it, not from an average of per-second p95s', () => {
    const { samples, latency } = run(60, 20);
    const { windowMs, windows } = runWindows(samples, latency);
    expect(windowMs).toBe(3000);
    // 60 requests per window, latencies 10..200 ms three times: nearest-rank p95 is the 57th, 190 ms.
    expect(windows[0]!.p95).toBeCloseTo(190, -0.5);
    expect(windows[0]!.p99).toBeNull(); // 60 requests: a p99 would only be the slowest one
  });

  it('grows windows until each holds the 20 requests a p95 needs, keeping at least 6 windows', () => {
    expect(runWindows(run(30, 4).samples).windowMs).toBe(5000); // 20 per window
    expect(runWindows(run(30, 2).samples).windowMs).toBe(5000); // 10 per window: still 6 windows, no p95
    expect(runWindows(run(30, 2).samples, run(30, 2).latency).windows[0]!.p95).toBeNull();
    expect(runWindows(run(120, 50).samples).windowMs).toBe(6000); // a twentieth of the run
  });

  it('cuts a run at a given window length (as the baseline was cut)', () => {
    expect(runWindows(run(30, 50).samples, new Map(), 3).windows).toHaveLength(10);
  });
});
