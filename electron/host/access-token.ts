import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh random secret: 256 bits, URL-safe (and a valid WebSocket subprotocol token). */
export function createAccessToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Constant-time comparison, so a secret cannot be guessed byte by byte from response timing. */
export function tokensMatch(expected: string, given: string | undefined | null): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * What the host keeps of a code or credential: its SHA-256. Looking a value up by its digest leaks
 * nothing through timing, and a memory dump of the host does not hand out working credentials.
 */
export function digestOf(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}
