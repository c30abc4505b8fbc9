/**
 * The grammar of stress thresholds (k6's syntax), shared by the stack, which evaluates them, and the panel,
 * which checks what a user typed before anything is sent: the metrics a threshold can name, what kind each
 * is, which aggregations apply to each kind, and the shape of one expression (`p(95)<800`, `rate<0.01`).
 */

export type MetricKind = 'trend' | 'rate' | 'counter' | 'gauge';

/** The metrics a profile's thresholds can name, what kind each is, and what it measures. */
export const THRESHOLD_METRICS = {
  latency_ms: { kind: 'trend', description: 'request latency from its intended start (ms)' },
  ttfb_ms: { kind: 'trend', description: 'HTTP target runs: time to first byte of the body, or first event of an SSE stream, from intended start (ms)' },
  errors: { kind: 'rate', description: 'share of finished requests that failed, not counting shed ones or ones cancelled by a stop' },
  shed: { kind: 'rate', description: 'share of finished requests shed on purpose by a governed bound (queue full, wait timeout)' },
  dropped: { kind: 'rate', description: 'share of due arrivals dropped because every slot was busy' },
  late: { kind: 'rate', description: 'share of started requests that started late' },
  http_429: { kind: 'counter', description: 'provider 429 answers' },
  retries: { kind: 'counter', description: 'provider calls retried' },
  db_server_connections: { kind: 'gauge', description: 'server connections in pg_stat_activity for the RAG database' },
  event_loop_delay_ms: { kind: 'trend', description: 'event-loop delay of the stack process (ms)' },
  semaphore_wait_ms: { kind: 'trend', description: 'time waiting for the agent semaphore (ms)' },
  limiter_wait_ms: { kind: 'trend', description: 'time waiting for the provider limiter (ms)' },
  pool_acquire_ms: { kind: 'trend', description: 'time waiting for a database connection (ms)' },
  provider_ms: { kind: 'trend', description: 'provider call time, retries included (ms)' },
} as const satisfies Record<string, { kind: MetricKind; description: string }>;

export type ThresholdMetric = keyof typeof THRESHOLD_METRICS;

export const THRESHOLD_METRIC_NAMES = Object.keys(THRESHOLD_METRICS) as ThresholdMetric[];

export function isThresholdMetric(name: string): name is ThresholdMetric {
  return Object.hasOwn(THRESHOLD_METRICS, name);
}

/** Which aggregations apply to which kind of metric (`p(N)` stands for any percentile). */
export const AGGREGATIONS: Record<MetricKind, readonly string[]> = {
  trend: ['avg', 'min', 'max', 'med', 'p(N)'],
  rate: ['rate', 'count'],
  counter: ['count', 'rate'],
  gauge: ['value', 'max', 'min'],
};

/** aggregation, operator, number: groups are the aggregation, the percentile (for p(N)), the operator, the bound. */
export const THRESHOLD_EXPRESSION = /^\s*(avg|min|max|med|rate|count|value|p\(\s*(\d+(?:\.\d+)?)\s*\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/i;
