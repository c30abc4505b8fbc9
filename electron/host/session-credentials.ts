import { createAccessToken, digestOf } from './access-token';

/** Sessions kept at most (one per opened link); the oldest is forgotten first. */
const MAX_SESSIONS = 256;

/**
 * The credentials tabs hold after trading a launch code: random, 256 bits, valid until the host stops
 * (a tab keeps its own in sessionStorage, which the browser drops with the tab). Only digests are kept.
 */
export class SessionCredentials {
  private readonly digests = new Set<string>();

  create(): string {
    const credential = createAccessToken();
    this.digests.add(digestOf(credential));
    while (this.digests.size > MAX_SESSIONS) this.digests.delete(this.digests.values().next().value as string);
    return credential;
  }

  isValid(credential: string): boolean {
    return this.digests.has(digestOf(credential));
  }
}
