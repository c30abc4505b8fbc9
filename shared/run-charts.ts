import type { RunSample } from './contract/stress';

/** One line of a chart: its legend label, colour, and optional fill and dash pattern. */
export interface ChartSeries {
  label: string;
  color: string;
  /** Draw as filled area under the line. */
  fill?: boolean;
  dash?: number[];
  /** Line width in CSS pixels (default 1.6). */
  width?: number;
}

export interface RunChartSpec {
  id: string;
  title: string;
  unit: string;
  series: ChartSeries[];
  values: (sample: RunSample) => (number | null)[];
}

const errorsTotal = (sample: RunSample): number => Object.values(sample.errors).reduce((n, v) => n + v, 0);

/**
 * The charts of one run: arrival rate, latency, errors, database connections, waits. One definition for the
 * panel's live and stored charts and the exported HTML report, so both show the same series.
 */
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
    // Highest percentile first, as the lines sit; later series draw on top, so p95 stays visible where it
    // meets p99 (which is dashed and thinner, so both show where they coincide).
    series: [
      { label: 'p99', color: '#f87171', dash: [6, 4], width: 1.4 },
      { label: 'p95', color: '#fbbf24', width: 2.2 },
      { label: 'p50', color: '#5eead4' },
    ],
    values: (s) => (s.completed > 0 ? [s.latencyMs.p99, s.latencyMs.p95, s.latencyMs.p50] : [null, null, null]),
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

