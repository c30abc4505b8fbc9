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
  /** Shown only for runs on the built-in stack, or only for runs against an HTTP target; both when absent. */
  scope?: 'stack' | 'target';
  /** Shown only when some sample has a value for it (e.g. adaptive limits: adaptive runs only). */
  onlyWithData?: boolean;
}

/** The charts that apply to a run: a target run has no database or stack waits, a stack run no target. */
export function chartsFor(isTarget: boolean): readonly RunChartSpec[] {
  return RUN_CHARTS.filter((chart) => chart.scope === undefined || chart.scope === (isTarget ? 'target' : 'stack'));
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
    // Later series draw on top. p95 is a thick solid line, p99 a thin dashed one drawn over it: where the
    // two meet (few requests in a second) both stay visible, p95 in the gaps of p99's dashes.
    series: [
      { label: 'p50', color: '#5eead4' },
      { label: 'p95', color: '#fbbf24', width: 2.6 },
      { label: 'p99', color: '#f87171', dash: [5, 5], width: 1.4 },
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
    scope: 'stack',
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
    scope: 'stack',
    series: [
      { label: 'semaphore', color: '#5eead4' },
      { label: 'limiter', color: '#fbbf24' },
      { label: 'pool acquire', color: '#60a5fa' },
      { label: 'event loop', color: '#f472b6', dash: [4, 4] },
    ],
    values: (s) => [s.semaphoreWaitP99Ms, s.limiterWaitP99Ms, s.poolAcquireP99Ms, s.eventLoopP99Ms],
  },
  {
    id: 'ttfb',
    title: 'Time to first byte (first SSE event), from intended start',
    unit: ' ms',
    scope: 'target',
    series: [
      { label: 'TTFB p95', color: '#fbbf24', width: 2.6 },
      { label: 'TTFB p99', color: '#f87171', dash: [5, 5], width: 1.4 },
      { label: 'last byte p95', color: '#60a5fa', dash: [2, 3] },
    ],
    values: (s) => [s.http?.ttfbP95Ms ?? null, s.http?.ttfbP99Ms ?? null, s.completed > 0 ? s.latencyMs.p95 : null],
  },
  {
    id: 'target-connections',
    title: 'Connections to the target',
    unit: '',
    scope: 'target',
    series: [
      { label: 'open', color: '#60a5fa', fill: true },
      { label: 'opened this second', color: '#fbbf24' },
    ],
    values: (s) => [s.http?.connections ?? null, s.http?.connectionsOpened ?? null],
  },
  {
    id: 'adaptive',
    title: 'Adaptive limits (permits)',
    unit: '',
    scope: 'stack',
    series: [
      { label: 'provider calls', color: '#5eead4', width: 2.2 },
      { label: 'retrieval queries', color: '#a78bfa' },
    ],
    values: (s) => [s.adaptiveLimits?.provider ?? null, s.adaptiveLimits?.retrieval ?? null],
    onlyWithData: true,
  },
];
