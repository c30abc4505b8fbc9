import { LAUNCH_CODE_ERRORS, SESSION_PATH, SESSION_STORAGE_KEY, SessionGrantSchema, takeLaunchCode } from '../../../shared/host-protocol';
import { CallReplySchema } from '../../../shared/wire';

/** Why this tab has no session, in the words the page shows. */
export interface SessionProblem {
  readonly code: 'NO_SESSION' | 'HOST_UNREACHABLE' | (typeof LAUNCH_CODE_ERRORS)[number] | 'BAD_MESSAGE';
  readonly message: string;
}

export type SessionStart = { ok: true; credential: string } | { ok: false; problem: SessionProblem };

/** What the session start touches in the page: injected so it can be tested without a browser. */
export interface SessionEnvironment {
  readonly location: Pick<Location, 'hash' | 'pathname' | 'search' | 'origin'>;
  readonly history: Pick<History, 'replaceState' | 'state'>;
  readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  readonly fetch: typeof fetch;
}

/**
 * Gets this tab its session credential. A launch code in the address bar (`#code=…`) is removed from
 * it at once — before it is even sent, so a failed exchange leaves nothing to copy — and traded for a
 * credential kept in sessionStorage: per origin (so per port), kept across reloads, gone with the tab.
 * Without a code, the tab's stored credential is used; without either, the page says how to get a link.
 */
export async function startHostSession(env: SessionEnvironment): Promise<SessionStart> {
  const { code, rest } = takeLaunchCode(env.location.hash);
  const stored = env.storage.getItem(SESSION_STORAGE_KEY);
  if (code === null) {
    return stored ? { ok: true, credential: stored } : { ok: false, problem: { code: 'NO_SESSION', message: 'This tab has no session with Bulkhead yet.' } };
  }
  env.history.replaceState(env.history.state, '', `${env.location.pathname}${env.location.search}${rest}`);
  const traded = await tradeCode(env, code);
  if (traded.ok) {
    env.storage.setItem(SESSION_STORAGE_KEY, traded.credential);
    return traded;
  }
  // A used link opened again in a tab that already has a session: keep working on that session.
  return stored ? { ok: true, credential: stored } : traded;
}

/** Forgets this tab's credential (the host no longer accepts it). */
export function forgetHostSession(storage: Pick<Storage, 'removeItem'>): void {
  storage.removeItem(SESSION_STORAGE_KEY);
}

async function tradeCode(env: SessionEnvironment, code: string): Promise<SessionStart> {
  let body: unknown;
  try {
    const response = await env.fetch(`${env.location.origin}${SESSION_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      credentials: 'omit',
      body: JSON.stringify({ code }),
    });
    body = await response.json();
  } catch {
    return { ok: false, problem: { code: 'HOST_UNREACHABLE', message: 'Bulkhead does not answer at this address: it may have stopped.' } };
  }
  const reply = CallReplySchema.safeParse(body);
  if (!reply.success) return { ok: false, problem: { code: 'BAD_MESSAGE', message: 'Bulkhead answered the launch link in an unknown shape.' } };
  if (!reply.data.ok) {
    const known = (LAUNCH_CODE_ERRORS as readonly string[]).includes(reply.data.error.code);
    return { ok: false, problem: { code: known ? (reply.data.error.code as SessionProblem['code']) : 'BAD_MESSAGE', message: reply.data.error.message } };
  }
  const grant = SessionGrantSchema.safeParse(reply.data.result);
  return grant.success ? { ok: true, credential: grant.data.credential } : { ok: false, problem: { code: 'BAD_MESSAGE', message: 'Bulkhead granted a session in an unknown shape.' } };
}
