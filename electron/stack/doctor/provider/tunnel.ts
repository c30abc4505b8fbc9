import { connect, type Socket } from 'node:net';

export type ConnectResult = { ok: true; socket: Socket; ms: number } | { ok: false; code: string; ms: number };

/** One TCP connection attempt, given up after `timeoutMs` or when `signal` aborts (the socket is closed then). */
export function connectTcp(host: string, port: number, signal: AbortSignal, timeoutMs: number): Promise<ConnectResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const finish = (result: ConnectResult): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('error');
      socket.removeAllListeners('connect');
      if (!result.ok) socket.destroy();
      else socket.on('error', () => undefined); // later errors surface in the step that uses it
      resolve(result);
    };
    const elapsed = (): number => performance.now() - started;
    const onAbort = (): void => finish({ ok: false, code: 'ABORTED', ms: elapsed() });
    const timer = setTimeout(() => finish({ ok: false, code: 'ETIMEDOUT', ms: elapsed() }), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish({ ok: true, socket, ms: elapsed() }));
    socket.once('error', (error: NodeJS.ErrnoException) => finish({ ok: false, code: error.code ?? 'ECONNREFUSED', ms: elapsed() }));
  });
}

export interface TunnelAnswer {
  /** The proxy's status code (200: tunnel open), or null when it closed without an HTTP answer. */
  status: number | null;
  /** The status line as sent, e.g. "HTTP/1.1 407 Proxy Authentication Required". */
  statusLine: string;
}

/**
 * Asks an HTTP proxy on `socket` for a CONNECT tunnel to `target` (host:port), as undici's ProxyAgent
 * does, with the Proxy-Authorization the proxy URL's user:password gives. Resolves with the proxy's
 * answer; the socket is the tunnel when the status is 200.
 */
export function requestTunnel(socket: Socket, target: string, proxyUrl: URL, signal: AbortSignal): Promise<TunnelAnswer> {
  return new Promise((resolve) => {
    let head = '';
    const done = (answer: TunnelAnswer): void => {
      socket.off('data', onData);
      socket.off('close', onClose);
      signal.removeEventListener('abort', onAbort);
      resolve(answer);
    };
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end === -1 && head.length < 16_384) return;
      const statusLine = head.slice(0, head.indexOf('\r\n') === -1 ? 200 : head.indexOf('\r\n')).slice(0, 200);
      const status = Number(/^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(statusLine)?.[1] ?? Number.NaN);
      done({ status: Number.isFinite(status) ? status : null, statusLine });
    };
    const onClose = (): void => done({ status: null, statusLine: '(the proxy closed the connection without an answer)' });
    const onAbort = (): void => {
      socket.destroy();
      onClose();
    };
    socket.on('data', onData);
    socket.once('close', onClose);
    signal.addEventListener('abort', onAbort, { once: true });
    const login =
      proxyUrl.username || proxyUrl.password
        ? `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(proxyUrl.username)}:${decodeURIComponent(proxyUrl.password)}`).toString('base64')}\r\n`
        : '';
    socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\nProxy-Connection: keep-alive\r\n${login}\r\n`);
  });
}
