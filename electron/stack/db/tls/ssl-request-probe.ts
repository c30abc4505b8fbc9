import { connect, type Socket } from 'node:net';
import { BulkheadError } from '../../errors';

/** PostgreSQL's SSLRequest: length 8, then the magic code 80877103 (1234 << 16 | 5679). */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

export interface SslProbeResult {
  /** 'S': the server will do TLS; 'N': it has no TLS; 'E': it answered with an error (very old server or a proxy). */
  readonly answer: 'S' | 'N' | 'E';
  /** After 'S', the still-open socket, ready for the TLS handshake; the caller owns it. */
  readonly socket: Socket;
  readonly ms: number;
}

/**
 * Asks a server whether it speaks TLS, exactly as a driver does before the handshake. A connection that
 * is accepted and then closed without an answer is the signature of a port publisher (docker-proxy)
 * with no database behind it, so it gets its own code.
 */
export function probeSslSupport(host: string, port: number, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<SslProbeResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timeout = setTimeout(() => fail(new BulkheadError('ETIMEDOUT', `No answer to the SSLRequest from ${host}:${port} within ${options.timeoutMs ?? 5000} ms.`)), options.timeoutMs ?? 5000);
    const onAbort = (): void => fail(options.signal?.reason ?? new Error('aborted'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    const cleanup = (): void => {
      clearTimeout(timeout);
      options.signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('data');
      socket.removeAllListeners('error');
      socket.removeAllListeners('close');
    };
    function fail(error: unknown): void {
      if (settled) return;
      settled = true;
      cleanup();
      socket.destroy();
      reject(error);
    }
    socket.once('connect', () => socket.write(SSL_REQUEST));
    socket.on('error', fail);
    socket.on('close', () =>
      fail(new BulkheadError('CONNECTION_CLOSED', `${host}:${port} accepted the connection and closed it without answering the SSLRequest.`)),
    );
    socket.once('data', (data: Buffer) => {
      if (settled) return;
      settled = true;
      cleanup();
      const answer = String.fromCharCode(data[0] ?? 0);
      if (answer === 'S' || answer === 'N' || answer === 'E') {
        if (answer !== 'S') socket.destroy();
        // Keeps a late socket error from becoming an uncaught exception before the caller takes over.
        else socket.on('error', () => undefined);
        resolve({ answer, socket, ms: performance.now() - started });
      } else {
        socket.destroy();
        reject(new BulkheadError('NOT_POSTGRES', `${host}:${port} answered the SSLRequest with ${JSON.stringify(data.subarray(0, 16).toString('latin1'))}: not a PostgreSQL server.`));
      }
    });
  });
}
