import type { IncomingMessage } from 'node:http';
import { tokensMatch } from './access-token';

export type GuardVerdict =
  | { ok: true; via: 'query' | 'cookie' | 'header' }
  | { ok: false; status: 401 | 403; code: 'UNAUTHORIZED' | 'FORBIDDEN'; message: string };

/**
 * Decides whether a request to the host may proceed. Three checks, in order:
 * 1. Host header is our loopback address and port (defeats DNS rebinding).
 * 2. An Origin, when present, is our own origin (a web page elsewhere cannot drive the stack).
 * 3. The per-launch token arrives in the query, our cookie, or an Authorization bearer header.
 */
export class RequestGuard {
  readonly cookieName: string;
  private readonly allowedHosts: Set<string>;

  constructor(private readonly token: string, port: number) {
    this.cookieName = `bulkhead_${port}`;
    this.allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  }

  get allowedOrigins(): string[] {
    return [...this.allowedHosts].map((host) => `http://${host}`);
  }

  check(request: IncomingMessage): GuardVerdict {
    const host = request.headers.host;
    if (!host || !this.allowedHosts.has(host.toLowerCase())) {
      return { ok: false, status: 403, code: 'FORBIDDEN', message: `Host ${JSON.stringify(host ?? '')} is not this Bulkhead host.` };
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !this.allowedOrigins.includes(origin.toLowerCase())) {
      return { ok: false, status: 403, code: 'FORBIDDEN', message: `Requests from origin ${origin} are refused.` };
    }
    const url = new URL(request.url ?? '/', 'http://placeholder');
    const fromQuery = url.searchParams.get('token');
    if (fromQuery !== null) {
      return tokensMatch(this.token, fromQuery)
        ? { ok: true, via: 'query' }
        : { ok: false, status: 403, code: 'FORBIDDEN', message: 'The access token is wrong (it changes every launch).' };
    }
    const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) {
      return tokensMatch(this.token, bearer)
        ? { ok: true, via: 'header' }
        : { ok: false, status: 403, code: 'FORBIDDEN', message: 'The access token is wrong (it changes every launch).' };
    }
    const fromCookie = readCookie(request.headers.cookie, this.cookieName);
    if (fromCookie !== undefined) {
      return tokensMatch(this.token, fromCookie)
        ? { ok: true, via: 'cookie' }
        : { ok: false, status: 403, code: 'FORBIDDEN', message: 'The session is from an earlier launch.' };
    }
    return { ok: false, status: 401, code: 'UNAUTHORIZED', message: 'An access token is required.' };
  }

  sessionCookie(): string {
    return `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
