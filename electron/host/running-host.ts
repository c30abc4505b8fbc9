import { LAUNCH_LINK_PATH, LaunchLinkSchema, RPC_PATH, type LaunchLink } from '../../shared/host-protocol';
import { CallReplySchema, type CallReply } from '../../shared/wire';
import { BulkheadError, describeError } from '../stack/errors';
import { readHostAccess, type HostAccess } from './host-access-file';

/** A browser host running on a data dir, as a local client (the CLI) reaches it through host.json. */
export interface RunningHost {
  readonly origin: string;
  readonly pid: number;
  /** A fresh single-use link to the panel (optionally to one page). */
  launchLink(page?: string, signal?: AbortSignal): Promise<LaunchLink>;
  /** Calls a contract method as a local client (the host secret is as good as a session). */
  call(method: string, params: unknown, signal?: AbortSignal): Promise<CallReply>;
}

const REQUEST_TIMEOUT_MS = 5_000;

/**
 * Finds the browser host of `dataDir` and checks it answers. Null when none was published there;
 * a BulkheadError when one was but cannot be reached (it crashed, or another process took its port).
 */
export async function findRunningHost(dataDir: string, signal?: AbortSignal): Promise<RunningHost | null> {
  const access = readHostAccess(dataDir);
  if (!access) return null;
  const host = clientFor(access);
  await host.call('app.info', {}, signal);
  return host;
}

function clientFor(access: HostAccess): RunningHost {
  const post = async (path: string, body: unknown, signal: AbortSignal | undefined): Promise<CallReply> => {
    let response: Response;
    try {
      response = await fetch(`${access.origin}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${access.secret}` },
        body: JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) : AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new BulkheadError('HOST_UNREACHABLE', `The Bulkhead published in this data dir (pid ${access.pid}, ${access.origin}) does not answer: ${describeError(error)}.`, {
        remedy: 'It has probably stopped. Start it again with `npx bulkhead serve` (or `npm start`).',
        cause: error,
      });
    }
    const reply = CallReplySchema.safeParse(await response.json().catch(() => null));
    if (!reply.success) {
      throw new BulkheadError('HOST_UNREACHABLE', `Something else answers at ${access.origin} (HTTP ${response.status}), not the Bulkhead of this data dir.`, {
        remedy: 'That Bulkhead has stopped and another program took its port. Start Bulkhead again with `npx bulkhead serve`.',
      });
    }
    if (!reply.data.ok && (response.status === 401 || response.status === 403)) {
      throw new BulkheadError('HOST_SECRET_MISMATCH', `The Bulkhead at ${access.origin} does not accept this data dir's host secret.`, {
        remedy: 'Another Bulkhead took that port after the one of this data dir stopped. Start Bulkhead again with `npx bulkhead serve`.',
      });
    }
    return reply.data;
  };
  return {
    origin: access.origin,
    pid: access.pid,
    call: (method, params, signal) => post(RPC_PATH, { method, params }, signal),
    launchLink: async (page, signal) => {
      const reply = await post(LAUNCH_LINK_PATH, page ? { page } : {}, signal);
      if (!reply.ok) throw new BulkheadError(reply.error.code, reply.error.message, reply.error.remedy ? { remedy: reply.error.remedy } : {});
      const link = LaunchLinkSchema.safeParse(reply.result);
      if (!link.success) throw new BulkheadError('HOST_UNREACHABLE', `The Bulkhead at ${access.origin} answered a launch-link request in an unknown shape.`);
      return link.data;
    },
  };
}
