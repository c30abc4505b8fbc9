import { z } from 'zod';

/**
 * How a browser tab gets and proves its right to drive the browser host. No cookie grants anything:
 * cookies are sent by host, not by port, so any other server on 127.0.0.1 would receive them.
 *
 * 1. The printed link carries a launch code in its fragment (`#code=…`), which never reaches a server
 *    log or a Referer. A code works once, and only for a few minutes.
 * 2. The page trades it (`POST /session`) for a session credential, keeps that in sessionStorage (per
 *    origin, so per port, and gone with the tab), and removes the code from the address bar.
 * 3. Every call carries the credential as `Authorization: Bearer …`; the WebSocket, whose constructor
 *    cannot set headers, offers it as a second subprotocol beside the real one (as Jupyter Server and
 *    Kubernetes do); the host answers with the real one only.
 */
export const RPC_PATH = '/rpc';
export const WEBSOCKET_PATH = '/ws';
export const SESSION_PATH = '/session';
/** Local clients holding the host secret (`bulkhead open`) ask here for a fresh launch link. */
export const LAUNCH_LINK_PATH = '/host/launch-link';

export const WS_PROTOCOL = 'bulkhead.v1';
export const WS_CREDENTIAL_PREFIX = 'bulkhead.v1.credential.';
export const SESSION_STORAGE_KEY = 'bulkhead.session';
export const LAUNCH_CODE_PARAM = 'code';

/** `POST /session` body. */
export const SessionRequestSchema = z.object({ code: z.string().max(200) });
/** The result of a granted `POST /session` (inside a CallReply). */
export const SessionGrantSchema = z.object({ credential: z.string().min(1) });
export type SessionGrant = z.infer<typeof SessionGrantSchema>;

/** `POST /host/launch-link` body: optionally the page the link opens. */
export const LaunchLinkRequestSchema = z.object({ page: z.string().regex(/^[a-z][a-z-]{0,39}$/).optional() }).strict();
export const LaunchLinkSchema = z.object({ url: z.string(), expiresAt: z.number() });
export type LaunchLink = z.infer<typeof LaunchLinkSchema>;

/** Error codes of a refused launch code, so the page can say exactly what happened. */
export const LAUNCH_CODE_ERRORS = ['LAUNCH_CODE_USED', 'LAUNCH_CODE_EXPIRED', 'LAUNCH_CODE_UNKNOWN'] as const;

/** The fragment of a launch link: `#code=X`, or `#/page?code=X` to open a given page. */
export function launchFragment(code: string, page?: string): string {
  return page ? `#/${page}?${LAUNCH_CODE_PARAM}=${code}` : `#${LAUNCH_CODE_PARAM}=${code}`;
}

/**
 * Splits a location hash into the launch code it carries (if any) and the hash without it, so the
 * page can trade the code and put back only the route: `#/stress?code=X&run=1` → `X`, `#/stress?run=1`.
 */
export function takeLaunchCode(hash: string): { code: string | null; rest: string } {
  const raw = hash.replace(/^#/, '');
  const question = raw.indexOf('?');
  const [route, query] = raw.startsWith('/') ? [question < 0 ? raw : raw.slice(0, question), question < 0 ? '' : raw.slice(question + 1)] : ['', raw];
  const params = new URLSearchParams(query);
  const code = params.get(LAUNCH_CODE_PARAM);
  if (code === null) return { code: null, rest: hash };
  params.delete(LAUNCH_CODE_PARAM);
  const remaining = params.toString();
  const rebuilt = route ? `${route}${remaining ? `?${remaining}` : ''}` : remaining;
  return { code, rest: rebuilt ? `#${rebuilt}` : '' };
}
