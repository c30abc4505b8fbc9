import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { EventHub } from '../stack/events/event-hub';
import type { Dispatcher } from '../stack/service/dispatcher';
import { BulkheadError } from '../stack/errors';
import { createAccessToken } from './access-token';
import { contentSecurityPolicy } from './content-security-policy';
import { RequestGuard } from './request-guard';
import { resolveStaticFile, sendFile } from './static-files';
import { serveContractOverWebSocket } from './websocket-transport';

export const LOOPBACK = '127.0.0.1';
export const WEBSOCKET_PATH = '/ws';
export const RPC_PATH = '/rpc';
const MAX_RPC_BODY_BYTES = 1024 * 1024;

export interface HostServerOptions {
  dispatcher: Dispatcher;
  hub: EventHub;
  /** Folder of the built renderer (index.html + assets). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
}

export interface HostServer {
  readonly port: number;
  readonly token: string;
  /** The URL to open, token included. */
  readonly url: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/**
 * The browser host: the built renderer and the contract's WebSocket on 127.0.0.1 only. Every HTTP
 * request and every upgrade passes the RequestGuard (Host, Origin, token). The first page load with
 * `?token=` sets an HttpOnly session cookie and redirects to a clean URL, so the token does not stay in
 * the address bar or history.
 */
export async function startHostServer(options: HostServerOptions): Promise<HostServer> {
  const token = options.token ?? createAccessToken();
  const server = createServer();
  const port = await listen(server, options.port ?? 0);
  const guard = new RequestGuard(token, port);
  const csp = contentSecurityPolicy();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  sockets.on('connection', (socket) => serveContractOverWebSocket(socket, options.dispatcher, options.hub));

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const verdict = guard.check(request);
    if (!verdict.ok) {
      sendRefusal(response, verdict.status, verdict.code, verdict.message);
      return;
    }
    const url = new URL(request.url ?? '/', `http://${LOOPBACK}:${port}`);
    if (url.pathname === RPC_PATH && request.method === 'POST') {
      void answerRpc(request, response, options.dispatcher);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendRefusal(response, 405, 'BAD_MESSAGE', 'Only GET is served here; the contract runs over the WebSocket.');
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

/**
 * Calls over plain HTTP: `POST /rpc {method, params}` → the dispatcher's outcome. The panel uses it for
 * calls (a fetch is what browsers, and headless screenshot tools, wait for), the WebSocket for pushed
 * events. JSON content type only, so a cross-site form cannot post here; the guard already checked
 * Host, Origin and the token.
 */
async function answerRpc(request: IncomingMessage, response: ServerResponse, dispatcher: Dispatcher): Promise<void> {
  const reply = (status: number, body: unknown): void => {
    response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    response.end(JSON.stringify(body));
  };
  const badMessage = (message: string): void => reply(400, { ok: false, error: { code: 'BAD_MESSAGE', message } });
  if (!(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
    badMessage('POST /rpc takes Content-Type: application/json.');
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_RPC_BODY_BYTES) {
      badMessage(`The request body is larger than ${MAX_RPC_BODY_BYTES} bytes.`);
      request.destroy();
      return;
    }
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    badMessage('The request body is not valid JSON.');
    return;
  }
  const { method, params } = (typeof body === 'object' && body !== null ? body : {}) as { method?: unknown; params?: unknown };
  const outcome = await dispatcher.dispatch(method, params, { transport: 'websocket' });
  reply(200, outcome);
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
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify({ error: { code, message, remedy } }));
}

function statusText(status: number): string {
  return { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status] ?? 'Error';
}
