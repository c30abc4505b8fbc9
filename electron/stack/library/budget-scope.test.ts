import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/manual-clock';
import { BoundApiKey } from '../providers/bound-api-key';
import { MemoryLimiterStore, type TakeRequest, type TakeResult } from '../ratelimit/limiter-store';
import { createProviderGovernance } from '../ratelimit/provider-governance';
import { keyScopeOf } from './key-scope';

const KEY_A = 'sk-budget-test-aaaaaaaaaaaaaaaaaaaaaaaa';
const KEY_B = 'sk-budget-test-bbbbbbbbbbbbbbbbbbbbbbbb';

/** A memory store that remembers which bucket keys and pause scopes it was asked about. */
class RecordingStore extends MemoryLimiterStore {
  readonly keys = new Set<string>();
  override tryTakeAll(requests: readonly TakeRequest[], now: number): Promise<TakeResult> {
    for (const request of requests) this.keys.add(request.spec.key);
    return super.tryTakeAll(requests, now);
  }
}

describe("the stack's provider budget is keyed by a hash of the API key", () => {
  it('is the same scope the library derives from the key an SDK sends, and never contains the key', () => {
    const bound = BoundApiKey.explicit('openai', KEY_A, 'https://api.openai.com/v1');
    const fromSdk = keyScopeOf('openai', new Headers({ authorization: `Bearer ${KEY_A}` }));
    expect(bound.budgetScope()).toBe(fromSdk.scope);
    expect(bound.budgetScope()).toMatch(/^openai:[0-9a-f]{32}$/);
    expect(bound.budgetScope()).not.toContain(KEY_A.slice(3));
    expect(BoundApiKey.explicit('openai', KEY_B, 'https://api.openai.com/v1').budgetScope()).not.toBe(bound.budgetScope());
    expect(BoundApiKey.explicit('anthropic', KEY_A, 'https://api.anthropic.com').budgetScope()).toMatch(/^anthropic:/);
  });

  it("puts the governed limiter's buckets under that scope in the store", async () => {
    const clock = new ManualClock();
    const store = new RecordingStore(clock);
    const scope = BoundApiKey.explicit('openai', KEY_A, 'https://api.openai.com/v1').budgetScope();
    const governance = createProviderGovernance({ provider: 'openai', limits: { rpm: 600, tpm: 100_000 }, clock, name: 'provider.openai', scope, store, limiter: { probeFirstCall: false } });
    try {
      const reservation = await governance.governor.reserve({ estimatedInputTokens: 10, maxOutputTokens: 10 });
      reservation.cancel();
      expect([...store.keys].length).toBeGreaterThan(0);
      for (const key of store.keys) expect(key.startsWith(`${scope}:`)).toBe(true);
    } finally {
      governance.close();
    }
  });
});
