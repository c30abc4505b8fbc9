import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { RunSample } from '../../../../shared/contract';
import { BoundedColumns, RUN_CHARTS, useRunSeries } from './run-series';

function sample(second: number, overrides: Partial<RunSample> = {}): RunSample {
  return {
    t: second * 1000, second, targetRate: 5, started: 5, completed: 4, failed: 1, dropped: 0, late: 0, inFlight: 1,
    latencyMs: { p50: 10, p95: 20, p99: 30, max: 40 }, errors: { timeout: 1, shed_queue_full: 2 }, http429: 3, retries: 0,
    dbConnections: 6, poolWaiting: 1, semaphoreWaitP99Ms: 1, limiterWaitP99Ms: 2, poolAcquireP99Ms: null, providerP95Ms: 80, eventLoopP99Ms: 3, rssMb: 100, heapUsedMb: 40,
    ...overrides,
  };
}

describe('BoundedColumns', () => {
  it('keeps x and every series aligned and drops the oldest beyond capacity', () => {
    const columns = new BoundedColumns(3, 2);
    for (let i = 1; i <= 5; i++) columns.push(i, [i * 10, i % 2 === 0 ? null : i]);
    expect(columns.columns).toEqual([
      [3, 4, 5],
      [30, 40, 50],
      [3, null, 5],
    ]);
    columns.clear();
    expect(columns.columns).toEqual([[], [], []]);
  });
});

describe('RUN_CHARTS', () => {
  it('reads a sample into one value per series, failures summed over kinds', () => {
    const values = Object.fromEntries(RUN_CHARTS.map((chart) => [chart.id, chart.values(sample(1))]));
    for (const chart of RUN_CHARTS) expect(values[chart.id]).toHaveLength(chart.series.length);
    expect(values.errors).toEqual([3, 3, 0]);
    expect(values.db).toEqual([6, 1]);
  });

  it('reads adaptive limits from adaptive runs and gaps (null) from the others, a chart shown only with data', () => {
    const adaptive = RUN_CHARTS.find((chart) => chart.id === 'adaptive')!;
    expect(adaptive.onlyWithData).toBe(true);
    expect(adaptive.values(sample(1, { adaptiveLimits: { provider: 12, retrieval: 3 } }))).toEqual([12, 3]);
    expect(adaptive.values(sample(1))).toEqual([null, null]);
  });

  it('leaves latency as a gap (null) in a second where nothing completed, instead of a false zero', () => {
    const latency = RUN_CHARTS.find((chart) => chart.id === 'latency')!;
    expect(latency.values(sample(1, { completed: 0 }))).toEqual([null, null, null]);
  });

  it('keeps p95 visible where it meets p99: p95 thick and solid, p99 thin, dashed and drawn over it', () => {
    const latency = RUN_CHARTS.find((chart) => chart.id === 'latency')!;
    const labels = latency.series.map((s) => s.label);
    expect(labels).toEqual(['p50', 'p95', 'p99']);
    const [p95, p99] = [latency.series[1]!, latency.series[2]!];
    expect(p99.color).not.toBe(p95.color);
    expect(p99.dash).toBeDefined();
    expect(p95.dash).toBeUndefined();
    expect(p95.width!).toBeGreaterThan(p99.width!);
    expect(latency.values(sample(1))).toEqual([10, 20, 30]);
  });
});

describe('useRunSeries', () => {
  it('pushes samples into every chart, bumps the version, and resets', () => {
    const { result } = renderHook(() => useRunSeries(2));
    const before = result.current.version;
    act(() => result.current.push([sample(1), sample(2), sample(3)]));
    expect(result.current.version).toBe(before + 1);
    expect(result.current.store.get('rate')!.columns[0]).toEqual([2, 3]);
    act(() => result.current.push([]));
    expect(result.current.version).toBe(before + 1);
    act(() => result.current.reset());
    expect(result.current.store.get('rate')!.columns[0]).toEqual([]);
    expect(result.current.version).toBe(before + 2);
  });
});
