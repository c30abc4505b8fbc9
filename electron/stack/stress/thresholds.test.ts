import { describe, expect, it } from 'vitest';
import { evaluateThresholds, failedAbortThresholds, parseThreshold, parseThresholds, type MetricReader } from './thresholds';

function errorOf(fn: () => unknown): { code?: string; message: string; remedy?: string } {
  try {
    fn();
  } catch (error) {
    return error as { code?: string; message: string; remedy?: string };
  }
  throw new Error('expected an error');
}

describe('thresholds', () => {
  it('parses the k6 forms', () => {
    expect(parseThreshold('latency_ms', 'p(95)<800', 't')).toMatchObject({ aggregation: { name: 'p', percentile: 95 }, operator: '<', bound: 800 });
    expect(parseThreshold('latency_ms', 'p(99.9) <= 1500', 't')).toMatchObject({ aggregation: { name: 'p', percentile: 99.9 }, operator: '<=', bound: 1500 });
    expect(parseThreshold('errors', 'rate<0.01', 't')).toMatchObject({ aggregation: { name: 'rate' }, bound: 0.01 });
    expect(parseThreshold('latency_ms', 'avg<200', 't').aggregation.name).toBe('avg');
    expect(parseThreshold('db_server_connections', 'max<=10', 't')).toMatchObject({ aggregation: { name: 'max' }, operator: '<=' });
    expect(parseThreshold('http_429', 'count==0', 't')).toMatchObject({ aggregation: { name: 'count' }, operator: '==' });
    const aborting = parseThreshold('errors', { threshold: 'rate<0.05', abortOnFail: true, delayAbortEval: '10s' }, 't');
    expect(aborting).toMatchObject({ abortOnFail: true, delayAbortEvalMs: 10_000 });
  });

  it('names the field and the fix for a malformed expression', () => {
    const error = errorOf(() => parseThresholds({ latency_ms: ['p(95)<800', 'p95 < 800'] }));
    expect(error.code).toBe('STRESS_BAD_THRESHOLD');
    expect(error.message).toContain('thresholds.latency_ms[1]');
    expect(error.message).toContain('"p95 < 800"');
    expect(error.remedy).toContain('p(95)<800');
  });

  it('rejects an unknown metric, listing the known ones', () => {
    const error = errorOf(() => parseThresholds({ http_req_duration: ['p(95)<800'] }));
    expect(error.message).toContain('unknown metric "http_req_duration"');
    expect(error.remedy).toContain('latency_ms');
  });

  it('rejects an aggregation that does not fit the metric', () => {
    const error = errorOf(() => parseThreshold('errors', 'p(95)<0.1', 'thresholds.errors[0]'));
    expect(error.message).toContain('errors is a rate metric');
    expect(error.remedy).toContain('rate, count');
    expect(errorOf(() => parseThreshold('latency_ms', 'p(0)<1', 'x')).message).toContain('outside (0, 100]');
    expect(errorOf(() => parseThreshold('errors', { threshold: 'rate<0.1', delayAbortEval: 'soon' }, 'x')).message).toContain('x.delayAbortEval');
  });

  it('passes and fails against measured values, and fails when nothing was measured', () => {
    const thresholds = parseThresholds({
      latency_ms: ['p(95)<800', 'p(99)<1500'],
      errors: ['rate<0.01'],
      db_server_connections: ['max<=10'],
    });
    const values: Record<string, number | undefined> = { 'latency_ms:p95': 640, 'latency_ms:p99': 1720, 'errors:rate': 0.002 };
    const read: MetricReader = (metric, aggregation) => values[`${metric}:${aggregation.name}${aggregation.percentile ?? ''}`];
    expect(evaluateThresholds(thresholds, read)).toEqual([
      { expr: 'latency_ms: p(95)<800', ok: true, value: 640 },
      { expr: 'latency_ms: p(99)<1500', ok: false, value: 1720 },
      { expr: 'errors: rate<0.01', ok: true, value: 0.002 },
      { expr: 'db_server_connections: max<=10', ok: false, value: null },
    ]);
  });

  it('reports abort-on-fail thresholds only after their delay and only with a value', () => {
    const thresholds = parseThresholds({
      errors: [{ threshold: 'rate<0.05', abortOnFail: true, delayAbortEval: '5s' }],
      latency_ms: ['p(95)<1'],
    });
    let rate: number | undefined = 0.5;
    const read: MetricReader = (metric) => (metric === 'errors' ? rate : 999);
    expect(failedAbortThresholds(thresholds, read, 4_999)).toHaveLength(0);
    expect(failedAbortThresholds(thresholds, read, 5_000).map((t) => t.source)).toEqual(['rate<0.05']);
    rate = undefined;
    expect(failedAbortThresholds(thresholds, read, 9_000)).toHaveLength(0);
  });
});
