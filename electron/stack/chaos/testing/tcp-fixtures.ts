import { connect, createServer, type Server, type Socket } from 'node:net';

/** A real TCP echo server on 127.0.0.1: every byte it receives it sends back. */
export interface EchoServer {
  readonly port: number;
  /** Bytes received over all connections. */
  readonly received: () => number;
  /** Connections currently open on the server side. */
  readonly open: () => number;
  close(): Promise<void>;
}

export async function startEchoServer(): Promise<EchoServer> {
  let received = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (data) => {
      received += data.length;
      socket.write(data);
    });
    socket.on('end', () => socket.end());
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    received: () => received,
    open: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A client socket that records what it receives and how it ended. */
export interface RecordingClient {
  readonly socket: Socket;
  readonly received: () => Buffer;
  /** 'open' until the socket closes; then 'end' (FIN), 'reset' (ECONNRESET) or the error code. */
  readonly state: () => string;
  readonly closed: Promise<void>;
  send(data: Buffer | string): void;
}

export async function connectClient(port: number): Promise<RecordingClient> {
  const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: false });
  const chunks: Buffer[] = [];
  let state = 'open';
  let sawEnd = false;
  socket.on('data', (data) => chunks.push(data));
  socket.on('end', () => {
    sawEnd = true;
  });
  socket.on('error', (error: NodeJS.ErrnoException) => {
    state = error.code === 'ECONNRESET' ? 'reset' : (error.code ?? 'error');
  });
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      if (state === 'open') state = sawEnd ? 'end' : 'closed';
      resolve();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    received: () => Buffer.concat(chunks),
    state: () => state,
    closed,
    send: (data) => void socket.write(data),
  };
}

/**
 * Waits until `condition` holds, polling on real time. Not a timed assertion: the limit only turns
 * a hang into a readable failure.
 */
export async function waitFor(condition: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Lets pending socket I/O run (a few turns of the event loop). */
export async function settleIo(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}
