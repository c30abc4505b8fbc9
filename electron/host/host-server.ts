import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { EventHub } from '../stack/events/event-hub';
import type { Dispatcher } from '../stack/service/dispatcher';
import { BulkheadError } from '../stack/errors';
import { createLogger, type Logger } from '../stack/log/logger';
import { createAccessToken } from './access-token';
import { contentSecurityPolicy } from './content-security-policy';
import { RequestGuard } from './request-guard';
import { answerRpc, RPC_PATH, sendReply } from './rpc-endpoint';
import { SECURITY_HEADERS } from './security-headers';
import { resolveStaticFile, sendFile } from './static-files';
import { serveEventsOverWebSocket } from './websocket-transport';

export const LOOPBACK = '127.0.0.1';
export const WEBSOCKET_PATH = '/ws';
export { RPC_PATH };

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
  token?: string;
  log?: Logger;
  timeouts?: Partial<HostTimeouts>;
}

export interface HostServer {
  readonly port: number;
  readonly token: string;
  /** The URL to open, token included. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The browser host: the built renderer and the contract's WebSocket on 127.0.0.1 only. Every HTTP
 * request and every upgrade passes the RequestGuard (Host, Origin, token). The first page load with
 * `?token=` sets an HttpOnly session cookie and redirects to a clean URL, so the token does not stay in
 * the address bar or history.
 */
export async function startHostServer(options: HostServerOptions): Promise<HostServer> {
  const token = options.token ?? createAccessToken();
  const log = options.log ?? createLogger({ scope: 'host' });
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  // A client that trickles its headers or body (slowloris) gets 408 and a close when the deadline passes.
  const server = createServer({
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    connectionsCheckingInterval: timeouts.checkEveryMs,
  });
  const port = await listen(server, options.port ?? 0);
  const guard = new RequestGuard(token, port);
  const csp = contentSecurityPolicy();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  sockets.on('connection', (socket) => serveEventsOverWebSocket(socket, options.dispatcher, options.hub));

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const verdict = guard.check(request);
    if (!verdict.ok) {
      sendRefusal(response, verdict.status, verdict.code, verdict.message);
      return;
    }
    const url = new URL(request.url ?? '/', `http://${LOOPBACK}:${port}`);
    if (url.pathname === RPC_PATH && request.method === 'POST') {
      void answerRpc(request, response, { dispatcher: options.dispatcher, log });
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendRefusal(response, 405, 'BAD_MESSAGE', `${request.method ?? 'This method'} is not served at ${url.pathname}: the panel's files are GET, calls are POST ${RPC_PATH}, events come over the WebSocket at ${WEBSOCKET_PATH}.`);
      return;
    }
    if (verdict.via === 'query') {
      url.searchParams.delete('token');
      response.writeHead(303, { ...SECURITY_HEADERS, 'set-cookie': guard.sessionCookie(), location: url.pathname + url.search + url.hash });
      response.end();
      return;
    }
    if (url.pathname === '/healthz') {
      response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'application/json' });
      response.end(JSON.stringify({ ok: true }));
      return;
    }
    const file = resolveStaticFile(options.rendererDir, url.pathname);
    if (!file) {
      sendRefusal(response, 404, 'BAD_MESSAGE', `Nothing at ${url.pathname}.`);
      return;
    }
    sendFile(response, file, { ...SECURITY_HEADERS, 'content-security-policy': csp });
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', `http://${LOOPBACK}:${port}`);
    const verdict = guard.check(request);
    if (url.pathname !== WEBSOCKET_PATH || !verdict.ok) {
      const status = verdict.ok ? 404 : verdict.status;
      const reason = verdict.ok ? 'Not Found' : verdict.message;
      socket.end(`HTTP/1.1 ${status} ${statusText(status)}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${reason}\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request));
  });

  return {
    port,
    token,
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
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

function sendRefusal(response: ServerResponse, status: number, code: string, message: string): void {
  const remedy =
    status === 401 || status === 403
      ? 'Open the exact URL that `bulkhead serve` (or `npm start`) printed: it carries this launch\'s access token.'
      : undefined;
  sendReply(response, status, { ok: false, error: { code, message, ...(remedy ? { remedy } : {}) } });
}

function statusText(status: number): string {
  return { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status] ?? 'Error';
}
