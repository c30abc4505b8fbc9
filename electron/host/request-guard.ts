import type { IncomingMessage } from 'node:http';
import { WS_CREDENTIAL_PREFIX } from '../../shared/host-protocol';
import { sanitizeText } from '../stack/service/quote-input';
import { tokensMatch } from './access-token';
import type { SessionCredentials } from './session-credentials';

export type Refusal = { ok: false; status: 401 | 403; code: 'UNAUTHORIZED' | 'FORBIDDEN'; message: string; remedy?: string };
export type SourceVerdict = { ok: true } | Refusal;
/** Who a credential says the caller is: a browser tab with a session, or a local client holding the host secret. */
export type CallerVerdict = { ok: true; caller: 'session' | 'host-client' } | Refusal;

const REOPEN_REMEDY = 'Open a fresh link: `npx bulkhead open` (add --data-dir if Bulkhead was started with one) prints one.';

/**
 * Decides whether a request to the host may proceed, in two steps:
 * 1. Where it comes from: the Host header must be our loopback address and port (defeats DNS
 *    rebinding), and an Origin, when present, must be our own (a page elsewhere — or a sandboxed one,
 *    `Origin: null` — cannot drive the stack). Every request passes this, files included.
 * 2. Who it is: calls, events and the launch-link endpoint need a credential — a tab's session
 *    credential or the host secret — as `Authorization: Bearer`, or for the WebSocket as a subprotocol.
 *    Nothing is read from cookies or the query string.
 */
export class RequestGuard {
  private readonly allowedHosts: Set<string>;
  private readonly allowedOrigins: Set<string>;

  constructor(
    port: number,
    private readonly hostSecret: string,
    private readonly sessions: SessionCredentials,
  ) {
    this.allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
    this.allowedOrigins = new Set([...this.allowedHosts].map((host) => `http://${host}`));
  }

  checkSource(request: IncomingMessage): SourceVerdict {
    const host = request.headers.host;
    if (!host || !this.allowedHosts.has(host.toLowerCase())) {
      return forbidden(`Host ${quote(host)} is not this Bulkhead host.`, 'Open the panel at http://127.0.0.1:<port>/, the address Bulkhead printed.');
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !this.allowedOrigins.has(origin.toLowerCase())) {
      return forbidden(`Requests from origin ${quote(origin)} are refused.`);
    }
    return { ok: true };
  }

  identify(request: IncomingMessage): CallerVerdict {
    const credential = credentialOf(request);
    if (credential === null) return { ok: false, status: 401, code: 'UNAUTHORIZED', message: 'This needs a session: open Bulkhead from a launch link.', remedy: REOPEN_REMEDY };
    if (tokensMatch(this.hostSecret, credential)) return { ok: true, caller: 'host-client' };
    if (this.sessions.isValid(credential)) return { ok: true, caller: 'session' };
    return forbidden('The session is not valid here (Bulkhead was restarted, or this is another instance).', REOPEN_REMEDY);
  }

  /** For endpoints only local processes may use: the host secret, and no Origin at all (no web page). */
  identifyHostClient(request: IncomingMessage): CallerVerdict {
    if (request.headers.origin !== undefined) return forbidden('Web pages may not ask for launch links.');
    const verdict = this.identify(request);
    if (verdict.ok && verdict.caller !== 'host-client') return forbidden('Only a local client holding the host secret may ask for launch links.');
    return verdict;
  }
}

/** `Authorization: Bearer X`, else the WebSocket subprotocol `bulkhead.v1.credential.X`, else null. */
function credentialOf(request: IncomingMessage): string | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (bearer !== undefined) return bearer;
  const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((value) => value.trim());
  const carried = offered.find((value) => value.startsWith(WS_CREDENTIAL_PREFIX));
  return carried ? carried.slice(WS_CREDENTIAL_PREFIX.length) : null;
}

function forbidden(message: string, remedy?: string): Refusal {
  return { ok: false, status: 403, code: 'FORBIDDEN', message, ...(remedy ? { remedy } : {}) };
}

function quote(value: string | undefined): string {
  return `"${sanitizeText(value ?? '', 80)}"`;
}
