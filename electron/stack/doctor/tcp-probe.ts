import { connect } from 'node:net';

export interface TcpProbeResult {
  readonly ok: boolean;
  readonly ms: number;
  /** The socket error code ('' when connected; ETIMEDOUT on timeout or abort). */
  readonly code: string;
}

/**
 * One TCP connect to host:port, closed at once: what every doctor's TCP step asks. Never rejects and
 * never outlives `timeoutMs` or the signal; the socket is always destroyed.
 */
export function probeTcp(host: string, port: number, signal: AbortSignal, timeoutMs: number): Promise<TcpProbeResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean, code: string): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve({ ok, ms: performance.now() - started, code });
    };
    const onAbort = (): void => done(false, 'ETIMEDOUT');
    const timer = setTimeout(() => done(false, 'ETIMEDOUT'), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => done(true, ''));
    socket.once('error', (error: NodeJS.ErrnoException) => done(false, error.code ?? 'ECONNRESET'));
  });
}
