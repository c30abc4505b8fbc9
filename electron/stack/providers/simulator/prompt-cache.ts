import type { Clock } from '../../clock/clock';

const TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 2000;

/**
 * Anthropic prompt caching, simulated: the first request with a given prefix up to a `cache_control`
 * breakpoint writes it (cache_creation_input_tokens), later ones within 5 minutes read it
 * (cache_read_input_tokens). Bounded, oldest-first eviction; keys are the prefix text itself.
 */
export class PromptCache {
  private readonly entries = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  /** True when the prefix was cached (and refreshes it); false when this request writes it. */
  lookup(key: string): boolean {
    const now = this.clock.now();
    const expires = this.entries.get(key);
    const hit = expires !== undefined && expires > now;
    this.entries.delete(key);
    this.entries.set(key, now + TTL_MS);
    if (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return hit;
  }

  clear(): void {
    this.entries.clear();
  }
}
