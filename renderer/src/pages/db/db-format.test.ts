import { describe, expect, it } from 'vitest';
import type { PoolSnapshot } from '../../../../shared/contract';
import { describeRefill } from './db-format';

function snapshot(overrides: { state?: PoolSnapshot['state']; total?: number; refill?: Partial<PoolSnapshot['refill']> }): PoolSnapshot {
  const t = 1_000_000;
  return {
    t,
    state: overrides.state ?? 'ready',
    stateDetail: '',
    target: null,
    embedded: null,
    counts: { total: overrides.total ?? 5, idle: 0, waiting: 0, leased: 0, min: 5, max: 20 },
    refill: { state: 'at-min', missing: 0, belowMinSince: null, failures: 0, retryAt: null, lastError: null, opened: 0, ...overrides.refill },
    oldestWaiterMs: 0,
    acquireWaitMs: { count: 0, p50: 0, p95: 0, p99: 0, max: 0 },
    holdMs: { count: 0, p50: 0, p95: 0, p99: 0, max: 0 },
    totals: { acquired: 0, acquireTimeouts: 0, acquireErrors: 0, clientsCreated: 0, clientsRemoved: 0, idleClientErrors: 0, leaksDetected: 0 },
    leaks: [],
    server: null,
  };
}

describe('describeRefill (the Pool page\'s refill indicator)', () => {
  it('says min is kept warm when nothing is missing, or while there is no pool yet', () => {
    expect(describeRefill(snapshot({}))).toEqual({ text: 'min 5 kept warm', tone: 'neutral' });
    expect(describeRefill(snapshot({ state: 'starting', total: 0 }))).toEqual({ text: 'min 5 kept warm', tone: 'neutral' });
  });

  it('shows a refill in progress as the level against min', () => {
    expect(describeRefill(snapshot({ total: 2, refill: { state: 'refilling', missing: 3 } }))).toEqual({ text: 'refilling 2/5', tone: 'warn' });
  });

  it('shows a pool stuck below min with how long, the next try and the reason', () => {
    const stuck = snapshot({ state: 'unavailable', total: 0, refill: { state: 'backing-off', missing: 5, belowMinSince: 1_000_000 - 12_000, retryAt: 1_000_000 + 4_000, failures: 6, lastError: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5432' } });
    expect(describeRefill(stuck)).toEqual({ text: 'below min 0/5 for 12 s · retry in 4.0 s — ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5432', tone: 'bad' });
  });
});
