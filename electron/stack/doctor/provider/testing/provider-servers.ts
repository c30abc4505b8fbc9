import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** A server a test started on loopback; `seen` records the auth headers it received. */
export interface LoopbackServer {
  readonly port: number;
  readonly origin: string;
  readonly seen: { path: string; authorization: string | undefined; apiKey: string | undefined }[];
  close(): Promise<void>;
}

/** A plain Node HTTP(S) server answering every request with `answer` (recording what it saw). */
export async function startAnsweringServer(answer: (request: IncomingMessage, response: ServerResponse) => void, tls?: { key: Buffer; cert: Buffer }): Promise<LoopbackServer> {
  const seen: LoopbackServer['seen'] = [];
  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    const header = (name: string): string | undefined => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    seen.push({ path: request.url ?? '', authorization: header('authorization'), apiKey: header('x-api-key') });
    request.resume();
    request.on('end', () => answer(request, response));
  };
  const server: Server = tls ? createHttpsServer(tls, handler) : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Python's own `http.server` — a real server nobody wrote for these tests; it answers 404 for /v1/models. */
export async function startPythonHttpServer(directory: string): Promise<{ port: number; close(): Promise<void> } | null> {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const child: ChildProcess = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', directory], { stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const match = /port (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`python3 http.server exited (${code}): ${out}`)));
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A self-signed certificate for 127.0.0.1 and localhost, made with openssl now; null without openssl. */
export function makeSelfSignedCertificate(dir: string): { key: Buffer; cert: Buffer; certPath: string } | null {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const keyPath = join(dir, 'server.key');
  const certPath = join(dir, 'server.crt');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=Bulkhead Test Provider', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', keyPath, '-out', certPath],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyPath), cert: readFileSync(certPath), certPath };
}

/** An OpenAI-style models list answer. */
export function answerModels(ids: readonly string[]) {
  return (_request: IncomingMessage, response: ServerResponse): void => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: ids.map((id) => ({ id, object: 'model' })) }));
  };
}
