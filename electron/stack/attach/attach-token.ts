import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The attach token: what a process must show to report to the panel. It is its own 256-bit secret —
 * not the browser session credential, not the host secret in host.json — so handing it to your agents
 * gives them the report-only channel and nothing else.
 */
export function createAttachToken(): string {
  return randomBytes(32).toString('base64url');
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Constant-time: both sides are hashed to 32 bytes first, so neither content nor length leaks through timing. */
export function attachTokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string' || given.length === 0 || given.length > 512) return false;
  return timingSafeEqual(digest(expected), digest(given));
}
