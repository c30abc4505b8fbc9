import { describe, expect, it } from 'vitest';
import { GOVERNED_BOUNDS } from './agent-settings';
import { governedBoundsFrom } from './governed-bounds-env';

describe('governed bounds from the environment', () => {
  it('keeps the defaults when nothing is set', () => {
    expect(governedBoundsFrom({})).toEqual(GOVERNED_BOUNDS);
  });

  it('applies the variables that are set', () => {
    expect(governedBoundsFrom({ BULKHEAD_AGENT_PERMITS: '12', BULKHEAD_AGENT_WAIT_TIMEOUT_MS: '2500', BULKHEAD_AGENT_MAX_WAITING: '0' })).toMatchObject({
      agentPermits: 12,
      agentWaitTimeoutMs: 2500,
      agentMaxWaiting: 0,
    });
  });

  it.each([['BULKHEAD_AGENT_PERMITS', '0'], ['BULKHEAD_AGENT_PERMITS', '0x10'], ['BULKHEAD_AGENT_WAIT_TIMEOUT_MS', '1e3'], ['BULKHEAD_AGENT_MAX_WAITING', '-1']])('refuses %s=%s, naming the variable and the fix', (name, value) => {
    expect(() => governedBoundsFrom({ [name]: value })).toThrow(expect.objectContaining({ code: 'AGENT_BOUNDS_INVALID', message: expect.stringContaining(name) }));
  });
});
