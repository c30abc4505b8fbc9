import type { Clock } from '../stack/clock/clock';
import { createAccessToken, digestOf } from './access-token';

/** How long a printed launch link works if nobody opens it. */
export const LAUNCH_CODE_TTL_MS = 10 * 60_000;
/** Unredeemed codes kept at most; older ones are dropped first. */
const MAX_CODES = 64;

export type Redemption = 'granted' | 'used' | 'expired' | 'unknown';

interface CodeState {
  expiresAt: number;
  used: boolean;
}

/**
 * Launch codes: single-use and short-lived, so a link that stays in a browser's history, a terminal's
 * scrollback or a screen recording opens nothing once it was used or has aged. Only digests are kept.
 * A used code is remembered until it would have expired, so the page can say "already used" rather
 * than "unknown".
 */
export class LaunchCodes {
  private readonly codes = new Map<string, CodeState>();

  constructor(
    private readonly clock: Clock,
    readonly ttlMs = LAUNCH_CODE_TTL_MS,
  ) {}

  issue(): { code: string; expiresAt: number } {
    this.prune();
    const code = createAccessToken(16);
    const expiresAt = this.clock.now() + this.ttlMs;
    this.codes.set(digestOf(code), { expiresAt, used: false });
    while (this.codes.size > MAX_CODES) this.codes.delete(this.codes.keys().next().value as string);
    return { code, expiresAt };
  }

  redeem(code: string): Redemption {
    const key = digestOf(code);
    const state = this.codes.get(key);
    if (!state) return 'unknown';
    if (state.used) return 'used';
    if (this.clock.now() >= state.expiresAt) {
      this.codes.delete(key);
      return 'expired';
    }
    state.used = true;
    return 'granted';
  }

  private prune(): void {
    const now = this.clock.now();
    for (const [key, state] of this.codes) if (now >= state.expiresAt) this.codes.delete(key);
  }
}
