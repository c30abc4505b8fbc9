import { BulkheadError } from '../errors';
import { parseGoDuration } from '../providers/go-duration';
import { AGGREGATIONS, THRESHOLD_EXPRESSION, THRESHOLD_METRICS, type MetricKind, type ThresholdMetric } from '../../../shared/threshold-syntax';

/**
 * Pass/fail criteria in k6's threshold syntax: per metric, a list of `aggregation operator number`
 * expressions (`p(95)<800`, `rate<0.01`, `avg<200`, `max<=50`, `count==0`), each optionally with
 * `abortOnFail` (stop the run as soon as it fails) and `delayAbortEval` (not before this much of the run).
 */

export { THRESHOLD_METRICS, type MetricKind, type ThresholdMetric };

export type Operator = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';

export interface Aggregation {
  readonly name: 'avg' | 'min' | 'max' | 'med' | 'p' | 'rate' | 'count' | 'value';
  /** For `p(N)`: the percentile. */
  readonly percentile?: number;
}

export interface Threshold {
  readonly metric: ThresholdMetric;
  /** As written, e.g. `p(95)<800`. */
  readonly source: string;
  readonly aggregation: Aggregation;
  readonly operator: Operator;
  readonly bound: number;
  readonly abortOnFail: boolean;
  readonly delayAbortEvalMs: number;
}

/** Reads one aggregate of one metric; undefined when the run has no value for it (e.g. no database). */
export type MetricReader = (metric: ThresholdMetric, aggregation: Aggregation) => number | undefined;

export interface ThresholdResult {
  /** `metric: expression`, e.g. `latency_ms: p(95)<800`. */
  expr: string;
  ok: boolean;
  /** The measured value; null when the run produced none (the threshold then fails). */
  value: number | null;
}

/** A threshold entry as written in a profile: k6 accepts a bare string or an object. */
export type ThresholdEntry = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string };


function invalid(path: string, message: string, remedy: string): BulkheadError {
  return new BulkheadError('STRESS_BAD_THRESHOLD', `${path}: ${message}`, { remedy });
}

/** Parses one expression for `metric`; `path` names where it came from in errors (`thresholds.errors[0]`). */
export function parseThreshold(metric: string, entry: ThresholdEntry, path: string): Threshold {
  if (!Object.hasOwn(THRESHOLD_METRICS, metric)) {
    throw invalid(path, `unknown metric ${JSON.stringify(metric)}.`, `Use one of: ${Object.keys(THRESHOLD_METRICS).join(', ')}.`);
  }
  const name = metric as ThresholdMetric;
  const source = typeof entry === 'string' ? entry : entry.threshold;
  const match = THRESHOLD_EXPRESSION.exec(source);
  if (!match) {
    throw invalid(
      path,
      `${JSON.stringify(source)} is not a threshold expression.`,
      'Write it as aggregation, operator, number — for example "p(95)<800", "rate<0.01", "avg<200", "max<=50".',
    );
  }
  const [, rawAggregation = '', rawPercentile, operator = '<', rawBound = '0'] = match;
  const aggregation: Aggregation =
    rawPercentile === undefined ? { name: rawAggregation.toLowerCase() as Aggregation['name'] } : { name: 'p', percentile: Number(rawPercentile) };
  if (aggregation.name === 'p' && (aggregation.percentile! <= 0 || aggregation.percentile! > 100)) {
    throw invalid(path, `percentile ${rawPercentile} in ${JSON.stringify(source)} is outside (0, 100].`, 'Use p(50), p(90), p(95), p(99) or p(99.9).');
  }
  const kind = THRESHOLD_METRICS[name].kind;
  const allowed = AGGREGATIONS[kind];
  const label = aggregation.name === 'p' ? 'p(N)' : aggregation.name;
  if (!allowed.includes(label)) {
    throw invalid(path, `${name} is a ${kind} metric; ${label} does not apply to it.`, `Use ${allowed.join(', ')} with ${name}.`);
  }
  let delayAbortEvalMs = 0;
  if (typeof entry === 'object' && entry.delayAbortEval !== undefined) {
    const parsed = parseGoDuration(entry.delayAbortEval);
    if (parsed === undefined) {
      throw invalid(`${path}.delayAbortEval`, `${JSON.stringify(entry.delayAbortEval)} is not a duration.`, 'Write it like "10s", "1m" or "500ms".');
    }
    delayAbortEvalMs = parsed;
  }
  return {
    metric: name,
    source: source.trim(),
    aggregation,
    operator: operator as Operator,
    bound: Number(rawBound),
    abortOnFail: typeof entry === 'object' && entry.abortOnFail === true,
    delayAbortEvalMs,
  };
}

/** Parses a profile's `thresholds` object: metric → list of entries. */
export function parseThresholds(spec: Readonly<Record<string, readonly ThresholdEntry[]>>, pathPrefix = 'thresholds'): Threshold[] {
  const list: Threshold[] = [];
  for (const [metric, entries] of Object.entries(spec)) {
    entries.forEach((entry, index) => list.push(parseThreshold(metric, entry, `${pathPrefix}.${metric}[${index}]`)));
  }
  return list;
}

export function compare(value: number, operator: Operator, bound: number): boolean {
  switch (operator) {
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
    case '==':
    case '===':
      return value === bound;
    case '!=':
      return value !== bound;
  }
}

export function describeThreshold(threshold: Threshold): string {
  return `${threshold.metric}: ${threshold.source}`;
}

/** Evaluates every threshold against the run's metrics. A missing value fails: a threshold is a promise. */
export function evaluateThresholds(thresholds: readonly Threshold[], read: MetricReader): ThresholdResult[] {
  return thresholds.map((threshold) => {
    const value = read(threshold.metric, threshold.aggregation);
    const measured = value === undefined || !Number.isFinite(value) ? null : Math.round(value * 10_000) / 10_000;
    return { expr: describeThreshold(threshold), ok: measured !== null && compare(measured, threshold.operator, threshold.bound), value: measured };
  });
}

/** The abort-on-fail thresholds that have failed at `elapsedMs` into the run (after their delay). */
export function failedAbortThresholds(thresholds: readonly Threshold[], read: MetricReader, elapsedMs: number): Threshold[] {
  return thresholds.filter((threshold) => {
    if (!threshold.abortOnFail || elapsedMs < threshold.delayAbortEvalMs) return false;
    const value = read(threshold.metric, threshold.aggregation);
    // No value yet (nothing finished) is not a reason to abort.
    return value !== undefined && Number.isFinite(value) && !compare(value, threshold.operator, threshold.bound);
  });
}
