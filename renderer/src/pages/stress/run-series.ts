import { useCallback, useState } from 'react';
import type { RunSample } from '../../../../shared/contract';
import type { ChartSeries } from '../../components/TimeSeriesChart';

/**
 * Bounded column storage for run charts: x = seconds into the run, then one column per series; at most
 * `capacity` points (the oldest go first), so a chart watching a 30-minute run holds the same memory as
 * one watching a minute.
 */
export class BoundedColumns {
  readonly columns: (number | null)[][];

  constructor(
    readonly capacity: number,
    seriesCount: number,
  ) {
    this.columns = Array.from({ length: seriesCount + 1 }, () => []);
  }

  push(x: number, values: readonly (number | null)[]): void {
    this.columns[0]!.push(x);
    values.forEach((value, index) => this.columns[index + 1]!.push(value));
    if (this.columns[0]!.length > this.capacity) for (const column of this.columns) column.shift();
  }

  clear(): void {
    for (const column of this.columns) column.length = 0;
  }
}

export interface RunChartSpec {
  id: string;
  title: string;
  unit: string;
  series: ChartSeries[];
  values: (sample: RunSample) => (number | null)[];
}

const errorsTotal = (sample: RunSample): number => Object.values(sample.errors).reduce((n, v) => n + v, 0);

/** The charts of one run: arrival rate, latency, errors, database connections, waits. */
export const RUN_CHARTS: readonly RunChartSpec[] = [
  {
    id: 'rate',
    title: 'Arrival rate (per second)',
    unit: '/s',
    series: [
      { label: 'target', color: '#8b93a7', dash: [4, 4] },
      { label: 'started', color: '#5eead4', fill: true },
      { label: 'completed', color: '#60a5fa' },
    ],
    values: (s) => [s.targetRate, s.started, s.completed],
  },
  {
    id: 'latency',
    title: 'Latency from intended start',
    unit: ' ms',
    series: [
      { label: 'p50', color: '#5eead4' },
      { label: 'p95', color: '#fbbf24' },
      { label: 'p99', color: '#f87171' },
    ],
    values: (s) => (s.completed > 0 ? [s.latencyMs.p50, s.latencyMs.p95, s.latencyMs.p99] : [null, null, null]),
  },
  {
    id: 'errors',
    title: 'Errors, 429s and dropped arrivals (per second)',
    unit: '',
    series: [
      { label: 'failed', color: '#f87171', fill: true },
      { label: 'HTTP 429', color: '#fbbf24' },
      { label: 'dropped', color: '#a78bfa', dash: [4, 4] },
    ],
    values: (s) => [errorsTotal(s), s.http429, s.dropped],
  },
  {
    id: 'db',
    title: 'Database server connections',
    unit: '',
    series: [
      { label: 'server connections', color: '#60a5fa', fill: true },
      { label: 'waiting for a pooled client', color: '#fbbf24' },
    ],
    values: (s) => [s.dbConnections, s.poolWaiting],
  },
  {
    id: 'waits',
    title: 'Waits inside the stack (p99)',
    unit: ' ms',
    series: [
      { label: 'semaphore', color: '#5eead4' },
      { label: 'limiter', color: '#fbbf24' },
      { label: 'pool acquire', color: '#60a5fa' },
      { label: 'event loop', color: '#f472b6', dash: [4, 4] },
    ],
    values: (s) => [s.semaphoreWaitP99Ms, s.limiterWaitP99Ms, s.poolAcquireP99Ms, s.eventLoopP99Ms],
  },
];

/** One hour at a sample per second. */
export const LIVE_CAPACITY = 3_600;

/** Bounded series for every run chart, fed one sample at a time; `version` changes on each push. */
export function useRunSeries(capacity = LIVE_CAPACITY) {
  const [store] = useState(() => new Map(RUN_CHARTS.map((chart) => [chart.id, new BoundedColumns(capacity, chart.series.length)])));
  const [version, setVersion] = useState(0);
  const push = useCallback(
    (samples: readonly RunSample[]) => {
      if (samples.length === 0) return;
      for (const sample of samples) for (const chart of RUN_CHARTS) store.get(chart.id)!.push(sample.second, chart.values(sample));
      setVersion((v) => v + 1);
    },
    [store],
  );
  const reset = useCallback(() => {
    for (const columns of store.values()) columns.clear();
    setVersion((v) => v + 1);
  }, [store]);
  return { store, version, push, reset };
}
