import { describe, expect, it } from 'vitest';
import { launchFragment, takeLaunchCode } from './host-protocol';

describe('launch fragments', () => {
  it('round-trips a code with and without a page', () => {
    expect(takeLaunchCode(launchFragment('abc'))).toEqual({ code: 'abc', rest: '' });
    expect(takeLaunchCode(launchFragment('abc', 'stress'))).toEqual({ code: 'abc', rest: '#/stress' });
  });

  it('keeps the route and its other parameters', () => {
    expect(takeLaunchCode('#/history?run=7&code=xyz')).toEqual({ code: 'xyz', rest: '#/history?run=7' });
  });

  it('leaves a hash without a code alone', () => {
    expect(takeLaunchCode('#/overview')).toEqual({ code: null, rest: '#/overview' });
    expect(takeLaunchCode('')).toEqual({ code: null, rest: '' });
  });
});
