import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { LAUNCH_LINK_PATH, RPC_PATH, SESSION_PATH, WEBSOCKET_PATH, WS_PROTOCOL, type LaunchLink } from '../../shared/host-protocol';
import { systemClock, type Clock } from '../stack/clock/clock';
import { BulkheadError } from '../stack/errors';
import type { EventHub } from '../stack/events/event-hub';
import { createLogger, type Logger } from '../stack/log/logger';
import type { Dispatcher } from '../stack/service/dispatcher';
import { createAccessEndpoints } from './access-endpoints';
import { createAccessToken } from './access-token';
import { contentSecurityPolicy } from './content-security-policy';
import { sendReply } from './json-exchange';
import { LaunchCodes } from './launch-codes';
import { RefusalLog } from './refusal-log';
import { RequestGuard, type Refusal } from './request-guard';
import { answerRpc } from './rpc-endpoint';
import { SECURITY_HEADERS } from './security-headers';
import { SessionCredentials } from './session-credentials';
import { resolveStaticFile, sendFile } from './static-files';
import { serveEventsOverWebSocket } from './websocket-transport';

export const LOOPBACK = '127.0.0.1';
export { RPC_PATH, WEBSOCKET_PATH };

/** How long a client may take to send a request's headers, and the whole request (slowloris). */
export interface HostTimeouts {
  headersMs: number;
  requestMs: number;
  /** How often Node checks those two deadlines. */
  checkEveryMs: number;
}

const DEFAULT_TIMEOUTS: HostTimeouts = { headersMs: 10_000, requestMs: 15_000, checkEveryMs: 1_000 };

export interface HostServerOptions {
  dispatcher: Dispatcher;
  hub: EventHub;
  /** Folder of the built renderer (index.html + assets). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  log?: Logger;
  clock?: Clock;
  timeouts?: Partial<HostTimeouts>;
  /** How long a launch code works (default 10 minutes). */
  launchCodeTtlMs?: number;
}

export interface HostServer {
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  /** The host secret: local clients (the CLI) present it to ask for launch links. Never sent to a browser. */
  readonly secret: string;
  /** A fresh single-use launch link (optionally to one page). */
  launchLink(page?: string): LaunchLink;
  close(): Promise<void>;
}

/**
 * The browser host on 127.0.0.1 only: the built renderer (no credential needed: it holds no data), the
 * contract's calls at `POST /rpc`, its pushed events on the WebSocket at /ws, and the two doors that
 * hand out access — `POST /session` (a launch code for a session credential) and `POST
 * /host/launch-link` (the host secret for a launch link). Every request and upgrade first passes the
 * RequestGuard's Host and Origin checks; refusals are logged without the values that were refused.
 * No cookie is ever set or read (see shared/host-protocol.ts for why).
 */
export async function startHostServer(options: HostServerOptions): Promise<HostServer> {
  const log = options.log ?? createLogger({ scope: 'host' });
  const clock = options.clock ?? systemClock;
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  // A client that trickles its headers or body (slowloris) gets 408 and a close when the deadline passes.
  const server = createServer({ headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: timeouts.checkEveryMs });
  const port = await listen(server, options.port ?? 0);
  const origin = `http://${LOOPBACK}:${port}`;
  const secret = createAccessToken();
  const sessions = new SessionCredentials();
  const guard = new RequestGuard(port, secret, sessions);
  const refusals = new RefusalLog(log, clock);
  const access = createAccessEndpoints({ origin, codes: new LaunchCodes(clock, options.launchCodeTtlMs), sessions, refusals, log });
  const csp = contentSecurityPolicy();
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: 1024 * 1024,
    // Answer with the real protocol only, never echoing the credential the browser offered beside it.
    handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  sockets.on('connection', (socket) => serveEventsOverWebSocket(socket, options.dispatcher, options.hub));

  const refuse = (request: IncomingMessage, refusal: Refusal): Refusal => {
    refusals.note(`${refusal.status}:${refusal.message}`, `${request.method ?? '?'} ${pathOf(request)}: ${refusal.message}`);
    return refusal;
  };

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const source = guard.checkSource(request);
    if (!source.ok) return sendRefusal(response, refuse(request, source));
    const path = pathOf(request);
    if (request.method === 'POST') {
      if (path === SESSION_PATH) return void access.exchangeCode(request, response);
      const caller = path === LAUNCH_LINK_PATH ? guard.identifyHostClient(request) : guard.identify(request);
      if (!caller.ok) return sendRefusal(response, refuse(request, caller), true);
      if (path === RPC_PATH) return void answerRpc(request, response, { dispatcher: options.dispatcher, log });
      if (path === LAUNCH_LINK_PATH) return void access.issueLink(request, response);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return sendReply(response, 405, {
        ok: false,
        error: { code: 'BAD_MESSAGE', message: `${request.method ?? 'This method'} ${path} is not served: the panel's files are GET, calls are POST ${RPC_PATH}, events come over the WebSocket at ${WEBSOCKET_PATH}.` },
      }, true);
    }
    if (path === '/healthz') return sendReply(response, 200, { ok: true, result: { ok: true } });
    const file = resolveStaticFile(options.rendererDir, path);
    if (!file) return sendReply(response, 404, { ok: false, error: { code: 'NOT_FOUND', message: 'Nothing here.' } });
    sendFile(response, file, { ...SECURITY_HEADERS, 'content-security-policy': csp });
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const verdict = pathOf(request) !== WEBSOCKET_PATH ? null : guard.checkSource(request);
    const caller = verdict?.ok ? guard.identify(request) : verdict;
    if (!caller?.ok) {
      const status = caller ? refuse(request, caller).status : 404;
      socket.end(`HTTP/1.1 ${status} ${statusText(status)}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${caller ? caller.message : 'Not Found'}\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request));
  });

  return {
    port,
    origin,
    secret,
    launchLink: (page) => access.launchLink(page),
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function pathOf(request: IncomingMessage): string {
  try {
    return new URL(request.url ?? '/', 'http://host.invalid').pathname;
  } catch {
    return '/';
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        error.code === 'EADDRINUSE'
          ? new BulkheadError('PORT_IN_USE', `Port ${port} on ${LOOPBACK} is already in use.`, {
              remedy: 'Pick another with --port, or --port 0 for any free port.',
            })
          : error,
      );
    };
    server.once('error', onError);
    server.listen(port, LOOPBACK, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function sendRefusal(response: ServerResponse, refusal: Refusal, closeAfter = false): void {
  sendReply(response, refusal.status, { ok: false, error: { code: refusal.code, message: refusal.message, ...(refusal.remedy ? { remedy: refusal.remedy } : {}) } }, closeAfter);
}

function statusText(status: number): string {
  return { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status] ?? 'Error';
}
