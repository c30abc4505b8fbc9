import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ATTACH_MAX_MESSAGE_BYTES } from '../../../shared/contract/attach';
import type { Clock } from '../clock/clock';
import type { Logger } from '../log/logger';
import { serveAttachConnection } from './attach-connection';
import { attachTokenMatches, createAttachToken } from './attach-token';
import { MAX_CONNECTED_PROCESSES, type AttachedProcesses } from './attached-processes';

export const ATTACH_PATH = '/attach';

export interface AttachEndpointOptions {
  processes: AttachedProcesses;
  clock: Clock;
  log: Logger;
  /** 127.0.0.1 unless asked otherwise. */
  host?: string;
  port?: number;
  /** Fixed token (tests); a fresh random one otherwise. */
  token?: string;
  reportIntervalMs?: number;
  maxMessagesPerSecond?: number;
}

export interface AttachEndpoint {
  /** `ws://127.0.0.1:PORT/attach?token=…` — what BULKHEAD_ATTACH is set to. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The attach endpoint: a WebSocket server of its own (its own port, its own token), so nothing that
 * arrives here can reach the panel's contract — there is no route from it to a method. Upgrades are
 * refused before any message is read when the path, Host or token is wrong, or when the request comes
 * from a web page (an `Origin` header: attached processes are programs, not pages).
 */
export async function startAttachEndpoint(options: AttachEndpointOptions): Promise<AttachEndpoint> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? createAttachToken();
  const { log, clock, processes } = options;
  const sockets = new WebSocketServer({ noServer: true, maxPayload: ATTACH_MAX_MESSAGE_BYTES, clientTracking: true });
  const server: Server = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain', connection: 'close' }).end('The attach endpoint speaks WebSocket only.\n');
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;

  let port = 0;
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refusal = refusalFor(request, token, `${host}:${port}`);
    if (refusal) {
      log.warn(`attach: refused a connection (${refusal.reason})`);
      socket.end(`HTTP/1.1 ${refusal.status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    if (processes.connectedCount + pendingHello >= MAX_CONNECTED_PROCESSES) {
      log.warn('attach: refused a connection (too many attached processes)');
      socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => accept(ws));
  });

  let pendingHello = 0;
  const accept = (ws: WebSocket): void => {
    // A connection that never says hello must not hold a slot: 5 s to introduce itself.
    pendingHello += 1;
    let waiting = true;
    const helloDone = (): void => {
      if (!waiting) return;
      waiting = false;
      pendingHello -= 1;
      clock.clearTimeout(helloTimer);
    };
    const helloTimer = clock.setTimeout(() => {
      if (!waiting) return;
      helloDone();
      ws.close(1008, 'hello_first');
    }, 5000);
    ws.once('message', helloDone);
    ws.once('close', helloDone);
    serveAttachConnection(ws, {
      processes,
      clock,
      log,
      reportIntervalMs: options.reportIntervalMs ?? 500,
      maxMessagesPerSecond: options.maxMessagesPerSecond ?? 100,
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  server.on('error', (error) => log.warn('attach endpoint error', error));
  const url = `ws://${host}:${port}${ATTACH_PATH}?token=${token}`;

  return {
    url,
    port,
    close: async () => {
      for (const ws of sockets.clients) ws.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

interface Refusal {
  status: string;
  reason: string;
}

function refusalFor(request: IncomingMessage, token: string, expectedHost: string): Refusal | null {
  let url: URL;
  try {
    url = new URL(request.url ?? '/', 'http://attach.invalid');
  } catch {
    return { status: '400 Bad Request', reason: 'unreadable path' };
  }
  if (url.pathname !== ATTACH_PATH) return { status: '404 Not Found', reason: 'unknown path' };
  if (request.headers.origin !== undefined) return { status: '403 Forbidden', reason: 'a web page (Origin header) may not attach' };
  const hostHeader = request.headers.host ?? '';
  const localhostForm = expectedHost.replace(/^127\.0\.0\.1:/, 'localhost:');
  if (hostHeader !== expectedHost && hostHeader !== localhostForm) return { status: '403 Forbidden', reason: 'foreign Host header' };
  const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  const given = url.searchParams.get('token') ?? bearer ?? null;
  if (!attachTokenMatches(token, given)) return { status: '401 Unauthorized', reason: given ? 'wrong token' : 'no token' };
  return null;
}
