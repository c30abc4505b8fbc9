import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';

/**
 * The few RESP2 replies the doctor reads. An error reply is a value, not a throw: the doctor's steps
 * tell NOAUTH from WRONGPASS from NOPERM by its first word.
 */
export type RespValue = string | number | null | RespErrorReply | RespValue[];

export class RespErrorReply {
  constructor(readonly message: string) {}
  /** The error's first word, as Redis sends it: NOAUTH, WRONGPASS, NOPERM, ERR, READONLY, OOM… */
  get code(): string {
    return this.message.split(' ', 1)[0] ?? 'ERR';
  }
}

export interface RespEndpoint {
  readonly host: string;
  readonly port: number;
  /** TLS options for rediss://, false for plain TCP. */
  readonly tls: ConnectionOptions | false;
}

/** A socket-level failure (refused, reset, TLS), with Node's code. */
export class RespSocketError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** One parsed reply and where the next one starts, or null when the buffer holds only part of it. */
type Parsed = { value: RespValue; next: number } | null;

function parseReply(buffer: Buffer, start: number): Parsed {
  const lineEnd = buffer.indexOf('\r\n', start);
  if (lineEnd < 0) return null;
  const kind = String.fromCharCode(buffer[start] ?? 0);
  const line = buffer.toString('utf8', start + 1, lineEnd);
  const after = lineEnd + 2;
  switch (kind) {
    case '+':
      return { value: line, next: after };
    case '-':
      return { value: new RespErrorReply(line), next: after };
    case ':':
      return { value: Number(line), next: after };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, next: after };
      if (buffer.length < after + length + 2) return null;
      return { value: buffer.toString('utf8', after, after + length), next: after + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, next: after };
      const items: RespValue[] = [];
      let cursor = after;
      for (let i = 0; i < count; i += 1) {
        const item = parseReply(buffer, cursor);
        if (!item) return null;
        items.push(item.value);
        cursor = item.next;
      }
      return { value: items, next: cursor };
    }
    default:
      throw new RespSocketError(`the server's reply is not RESP (starts with ${JSON.stringify(buffer.toString('latin1', start, Math.min(start + 16, buffer.length)))})`, 'NOT_REDIS');
  }
}

/** A command as RESP: an array of bulk strings. */
function encodeCommand(args: readonly (string | number)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = Buffer.from(String(arg));
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/**
 * A bare RESP2 connection: one socket, commands answered in order, no reconnects, no automatic AUTH or
 * ready check. The doctor needs exactly that — each step sends its own commands and sees the server's
 * own reply — which is why it does not use a full client (ioredis retries, queues and authenticates on
 * its own, and hides which of those failed).
 */
export class RespConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly pending: { resolve: (value: RespValue) => void; reject: (error: Error) => void }[] = [];
  private closedBy: Error | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => this.failAll(new RespSocketError(error.message, error.code ?? 'ECONNRESET')));
    socket.on('close', () => this.failAll(new RespSocketError('the server closed the connection', 'ECONNRESET')));
  }

  /** Connects (and for rediss:// completes the TLS handshake); rejects with a RespSocketError. */
  static open(endpoint: RespEndpoint, signal: AbortSignal): Promise<RespConnection> {
    return new Promise((resolve, reject) => {
      const socket = endpoint.tls
        ? connectTls({ host: endpoint.host, port: endpoint.port, ...endpoint.tls })
        : connectTcp({ host: endpoint.host, port: endpoint.port });
      const onAbort = (): void => settle(new RespSocketError('no answer before the deadline', 'ETIMEDOUT'));
      const settle = (error: RespSocketError | null): void => {
        signal.removeEventListener('abort', onAbort);
        socket.removeAllListeners('error');
        if (error) {
          socket.destroy();
          reject(error);
        } else {
          resolve(new RespConnection(socket));
        }
      };
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once(endpoint.tls ? 'secureConnect' : 'connect', () => settle(null));
      socket.once('error', (error: NodeJS.ErrnoException) => settle(new RespSocketError(error.message, error.code ?? 'ECONNRESET')));
    });
  }

  /** Sends one command and resolves with its reply (an error reply included); rejects if the socket fails or the signal fires. */
  command(args: readonly (string | number)[], signal: AbortSignal): Promise<RespValue> {
    if (this.closedBy) return Promise.reject(this.closedBy);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        // The reply would arrive out of step with later commands: this connection is done.
        this.close();
        reject(new RespSocketError('no reply before the deadline', 'ETIMEDOUT'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.push({
        resolve: (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        reject: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      });
      this.socket.write(encodeCommand(args));
    });
  }

  close(): void {
    this.failAll(new RespSocketError('the connection was closed', 'ECONNRESET'));
    this.socket.destroy();
  }

  /** TLS details of a rediss:// connection, for the TLS step's evidence. */
  get tlsSocket(): Socket {
    return this.socket;
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let offset = 0;
    try {
      for (;;) {
        const parsed = parseReply(this.buffer, offset);
        if (!parsed) break;
        offset = parsed.next;
        this.pending.shift()?.resolve(parsed.value);
      }
    } catch (error) {
      this.failAll(error instanceof RespSocketError ? error : new RespSocketError(String(error), 'NOT_REDIS'));
      this.socket.destroy();
      return;
    }
    this.buffer = this.buffer.subarray(offset);
  }

  private failAll(error: Error): void {
    this.closedBy ??= error;
    for (const waiter of this.pending.splice(0)) waiter.reject(error);
  }
}
