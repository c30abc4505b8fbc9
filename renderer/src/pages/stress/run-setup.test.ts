import { describe, expect, it } from 'vitest';
import { initialSetup, plannedRun, serverErrorsByField, textToThresholds, thresholdsToText, validateSetup, type RunSetup } from './run-setup';
import { TEST_PROFILES, testRun } from './testing-profiles';
import { EMPTY_TARGET } from './target-setup';

const light = TEST_PROFILES[0]!;
const heavy = TEST_PROFILES[1]!;
const base: RunSetup = { against: 'stack', target: EMPTY_TARGET, profile: 'light', mode: 'governed', rate: '', durationS: '', thresholds: 'latency_ms: p(95)<1500' };

describe('the Stress form: first state', () => {
  it('starts on light in a fresh data dir, whatever order the profiles come in', () => {
    expect(initialSetup([heavy, light], null)).toMatchObject({ profile: 'light', mode: 'governed', thresholds: 'latency_ms: p(95)<1500\nerrors: rate<0.01' });
  });

  it('starts on the profile and mode of the last run', () => {
    expect(initialSetup(TEST_PROFILES, testRun('heavy', 'unbounded'))).toMatchObject({ profile: 'heavy', mode: 'unbounded', thresholds: 'latency_ms: p(95)<5000' });
  });

  it('falls back to light when the last run used a profile that is gone', () => {
    expect(initialSetup(TEST_PROFILES, { ...testRun('light', 'unbounded'), name: 'deleted' })).toMatchObject({ profile: 'light', mode: 'governed' });
  });
});

describe('the Stress form: thresholds text', () => {
  it('round-trips a profile spec with abortOnFail and delayAbortEval', () => {
    const spec = { latency_ms: ['p(95)<800', { threshold: 'p(99)<2000', abortOnFail: true, delayAbortEval: '10s' }], errors: ['rate<0.01'] };
    const text = thresholdsToText(spec);
    expect(text).toBe('latency_ms: p(95)<800\nlatency_ms: p(99)<2000 abortOnFail delayAbortEval=10s\nerrors: rate<0.01');
    expect(textToThresholds(text)).toEqual({ spec, errors: [] });
  });

  it('names every bad line in user words, not a schema path', () => {
    const { errors } = textToThresholds(['latencyms: p(95)<800', '', '# a comment', 'errors rate<0.01', 'errors: p(95)<3', 'latency_ms: fast', 'latency_ms: p(0)<1', 'http_429:'].join('\n'));
    expect(errors).toHaveLength(6);
    expect(errors[0]).toMatch(/^Line 1: “latencyms” is not a metric Bulkhead measures\. Use one of: latency_ms, ttfb_ms, errors/);
    expect(errors[1]).toMatch(/^Line 4 \(“errors rate<0.01”\) needs the form “metric: expression”/);
    expect(errors[2]).toMatch(/^Line 5: a percentile does not apply to errors .*use rate or count, e\.g\. rate<0\.01/);
    expect(errors[3]).toMatch(/^Line 6: “fast” is not a threshold/);
    expect(errors[4]).toMatch(/^Line 7: p\(0\) is not a percentile/);
    expect(errors[5]).toMatch(/^Line 8: http_429 needs an expression after the colon, e\.g\. count<50/);
    for (const message of errors) expect(message).not.toMatch(/thresholds\.|\[\d\]/);
  });
});

describe('the Stress form: validation', () => {
  it('builds the start params when everything is valid', () => {
    expect(validateSetup({ ...base, rate: '3.5', durationS: '12' }, light)).toEqual({
      params: { profile: 'light', mode: 'governed', thresholds: { latency_ms: ['p(95)<1500'] }, rate: 3.5, durationS: 12 },
      errors: {},
    });
  });

  it('reports every invalid field at once, and no params', () => {
    const { params, errors } = validateSetup({ ...base, rate: '0', durationS: '-5', thresholds: 'latencyms: p(95)<1' }, light);
    expect(params).toBeNull();
    expect(errors.rate).toMatch(/^Peak rate is requests per second: a number above 0 .* or empty for the profile’s own \(2\/s\)\.$/);
    expect(errors.durationS).toMatch(/^Duration is in seconds: a number above 0 .*\(30 s\)\.$/);
    expect(errors.thresholds).toHaveLength(1);
  });

  it.each(['0x10', '1e3', 'abc', '5 s', '-1', '', '  '])('rate %j is refused unless empty', (rate) => {
    const { errors } = validateSetup({ ...base, rate }, light);
    if (rate.trim() === '') expect(errors.rate).toBeUndefined();
    else expect(errors.rate).toBeDefined();
  });

  it('refuses a duration over a week and a missing profile', () => {
    expect(validateSetup({ ...base, durationS: String(8 * 24 * 3600) }, light).errors.durationS).toBeDefined();
    expect(validateSetup({ ...base, profile: 'gone' }, undefined).errors.profile).toBe('Pick a profile.');
  });
});

describe('the Stress form: the planned run', () => {
  it('is the profile’s own without overrides', () => {
    expect(plannedRun(base, light)).toEqual({ plannedRequests: 60, durationS: 30, peakRate: 2, overridden: false });
  });

  it('follows the duration and rate overrides (light for 12 s is 24 requests, not 60)', () => {
    expect(plannedRun({ ...base, durationS: '12' }, light)).toMatchObject({ plannedRequests: 24, durationS: 12, overridden: true });
    expect(plannedRun({ ...base, profile: 'heavy', rate: '15' }, heavy)).toMatchObject({ plannedRequests: 765, peakRate: 15, durationS: 60 });
  });

  it('ignores an override that is not valid yet', () => {
    expect(plannedRun({ ...base, durationS: '-' }, light)).toMatchObject({ plannedRequests: 60, overridden: false });
  });
});

describe('the Stress form: server rejections', () => {
  it('puts a stack threshold error on the thresholds field without its internal path', () => {
    expect(serverErrorsByField('STRESS_BAD_THRESHOLD', 'thresholds.latencyms[0]: unknown metric "latencyms".', undefined)).toEqual({ thresholds: ['unknown metric "latencyms".'] });
  });

  it('maps INVALID_PARAMS issues to their fields and leaves other errors to the banner', () => {
    expect(serverErrorsByField('INVALID_PARAMS', 'bad', [{ path: 'rate', message: 'Too big' }])).toEqual({ rate: 'Peak rate: Too big' });
    expect(serverErrorsByField('STRESS_BUSY', 'busy', undefined)).toBeNull();
  });
});

describe('the Stress form: an HTTP endpoint', () => {
  const http = (target: Partial<RunSetup['target']>): RunSetup => ({ ...base, against: 'http', target: { ...EMPTY_TARGET, ...target } });

  it('sends the picked profile as content with the target in it', () => {
    const { params, errors } = validateSetup(http({ url: 'http://127.0.0.1:8080/chat', headers: 'Authorization: Bearer sk-x\nX-Team: a', body: '{"q":"{{question}}"}' }), light);
    expect(errors).toEqual({});
    expect(params!.profile).toMatchObject({
      name: 'light',
      stages: light.profile.stages,
      target: { url: 'http://127.0.0.1:8080/chat', headers: { Authorization: 'Bearer sk-x', 'X-Team': 'a' }, body: '{"q":"{{question}}"}', expectStatus: '2xx', timeoutS: 30, connections: 64 },
    });
  });

  it('names every bad field under its own name, and never repeats a header value', () => {
    const { params, errors } = validateSetup(
      http({ url: 'http://me:pw@127.0.0.1/', headers: 'Authorization Bearer sk-secret-value\nHost: x', body: '{"q":"{{prompt}}"}', expectStatus: '2xz', timeoutS: '0', connections: '1.5' }),
      light,
    );
    expect(params).toBeNull();
    expect(errors.target!.url).toMatch(/must not carry a user name or password/);
    expect(errors.target!.headers).toEqual([expect.stringMatching(/^Line 1 is not 'Name: value'/), expect.stringMatching(/^Line 2 sets host/)]);
    expect(JSON.stringify(errors)).not.toContain('sk-secret-value');
    expect(errors.target!.body).toMatch(/\{\{prompt\}\}, which is not a template variable/);
    expect(errors.target!.expectStatus).toMatch(/Expected status lists something/);
    expect(errors.target!.timeoutS).toMatch(/above 0 and at most 600/);
    expect(errors.target!.connections).toMatch(/whole number/);
  });

  it('comes back on the last run’s endpoint, without its (masked) headers', () => {
    const last = testRun('light', 'governed');
    last.config.profile = { ...last.config.profile, target: { url: 'http://127.0.0.1:9/x', headers: { Authorization: 'Bearer ****' }, expectStatus: '200', timeoutS: 5, connections: 8 } };
    expect(initialSetup(TEST_PROFILES, last)).toMatchObject({ against: 'http', target: { url: 'http://127.0.0.1:9/x', headers: '', expectStatus: '200', timeoutS: '5', connections: '8' } });
  });
});
