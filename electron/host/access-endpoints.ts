import type { IncomingMessage, ServerResponse } from 'node:http';
import { launchFragment, LaunchLinkRequestSchema, SessionRequestSchema, type LaunchLink } from '../../shared/host-protocol';
import type { BridgeErrorData } from '../../shared/contract';
import type { Logger } from '../stack/log/logger';
import { exchangeJson, HttpRefusal } from './json-exchange';
import type { LaunchCodes, Redemption } from './launch-codes';
import type { RefusalLog } from './refusal-log';
import type { SessionCredentials } from './session-credentials';

const MAX_BODY_BYTES = 4 * 1024;
const REOPEN = 'Run `npx bulkhead open` in the Bulkhead folder (with --data-dir if Bulkhead was started with one) for a fresh link.';

function refusal(outcome: Exclude<Redemption, 'granted'>, ttlMs: number): BridgeErrorData {
  switch (outcome) {
    case 'used':
      return { code: 'LAUNCH_CODE_USED', message: 'This link was already used. Each link opens the panel once, in one tab.', remedy: REOPEN };
    case 'expired':
      return { code: 'LAUNCH_CODE_EXPIRED', message: `This link has expired: links work for ${Math.round(ttlMs / 60_000)} minutes after they are printed.`, remedy: REOPEN };
    case 'unknown':
      return { code: 'LAUNCH_CODE_UNKNOWN', message: 'This link is not from the Bulkhead running here (it may have restarted since).', remedy: REOPEN };
  }
}

export interface AccessEndpoints {
  /** `POST /session {code}` → `{credential}`: a tab trades its launch code for a session credential. */
  exchangeCode(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** `POST /host/launch-link {page?}` → `{url, expiresAt}`: a local client (bulkhead open) asks for a link. */
  issueLink(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** A fresh launch link, in-process (what `serve` prints at start). */
  launchLink(page?: string): LaunchLink;
}

export function createAccessEndpoints(input: { origin: string; codes: LaunchCodes; sessions: SessionCredentials; refusals: RefusalLog; log: Logger }): AccessEndpoints {
  const { codes, sessions, refusals, log } = input;
  const options = (what: string) => ({ maxBodyBytes: MAX_BODY_BYTES, log, what });

  const launchLink = (page?: string): LaunchLink => {
    const { code, expiresAt } = codes.issue();
    return { url: `${input.origin}/${launchFragment(code, page)}`, expiresAt };
  };

  return {
    launchLink,
    exchangeCode: (request, response) =>
      exchangeJson(request, response, options('POST /session'), async (body) => {
        const parsed = SessionRequestSchema.safeParse(body);
        if (!parsed.success) throw new HttpRefusal(400, { code: 'BAD_MESSAGE', message: 'POST /session takes {"code": "<the code from the launch link>"}.' });
        const outcome = codes.redeem(parsed.data.code);
        if (outcome !== 'granted') {
          refusals.note(`code-${outcome}`, `a launch code that is ${outcome === 'unknown' ? 'not known here' : outcome === 'used' ? 'already used' : 'expired'}`);
          return { status: outcome === 'unknown' ? 403 : 410, reply: { ok: false, error: refusal(outcome, codes.ttlMs) } };
        }
        log.info('a browser tab opened the panel with a launch link');
        return { status: 200, reply: { ok: true, result: { credential: sessions.create() } } };
      }),
    issueLink: (request, response) =>
      exchangeJson(request, response, options('POST /host/launch-link'), async (body) => {
        const parsed = LaunchLinkRequestSchema.safeParse(body ?? {});
        if (!parsed.success) throw new HttpRefusal(400, { code: 'BAD_MESSAGE', message: 'POST /host/launch-link takes {"page"?: "<page name>"}.' });
        return { status: 200, reply: { ok: true, result: launchLink(parsed.data.page) } };
      }),
  };
}
