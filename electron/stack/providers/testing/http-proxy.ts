import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** A real HTTP proxy on loopback for tests: CONNECT tunnels and absolute-URI requests, each recorded. */
export interface TestHttpProxy {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** `host:port` of every CONNECT, in order. */
  readonly tunnels: string[];
  /** Absolute URIs of plain (non-tunnelled) proxied requests. */
  readonly forwarded: string[];
  /** The Proxy-Authorization headers it saw (to prove credentials in the proxy URL are used). */
  readonly authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/**
 * Starts a minimal forward proxy, as corporate proxies behave: CONNECT host:port opens a TCP tunnel
 * (answered `200 Connection Established`), a request for an absolute URI is forwarded. With
 * `requireAuth`, anything without Proxy-Authorization gets 407. Only used against loopback targets.
 */
export async function startTestHttpProxy(options: { requireAuth?: string } = {}): Promise<TestHttpProxy> {
  const tunnels: string[] = [];
  const forwarded: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const sockets = new Set<Socket>();
  const authorised = (request: IncomingMessage): boolean => {
    const header = request.headers['proxy-authorization'];
    authorizations.push(header);
    return options.requireAuth === undefined || header === options.requireAuth;
  };
  const server = createServer((request, response) => {
    if (!authorised(request)) {
      response.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const target = request.url ?? '';
    forwarded.push(target);
    const upstream = httpRequest(target, { method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.writeHead(502).end());
    request.pipe(upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    if (!authorised(request)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nproxy-authenticate: Basic realm="test"\r\n\r\n');
      return;
    }
    const target = request.url ?? '';
    tunnels.push(target);
    const [host = '', port = '0'] = splitHostPort(target);
    const upstream = connect(Number(port), host);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.once('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    forwarded,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function splitHostPort(target: string): [string, string] {
  const index = target.lastIndexOf(':');
  return [target.slice(0, index).replace(/^\[|\]$/g, ''), target.slice(index + 1)];
}
