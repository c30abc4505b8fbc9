import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import WebSocket from 'ws';
import { SESSION_PATH, takeLaunchCode, WS_CREDENTIAL_PREFIX, WS_PROTOCOL } from '../../../shared/host-protocol';
import type { ServerMessage } from '../../../shared/wire';
import type { Clock } from '../../stack/clock/clock';
import { createLogger } from '../../stack/log/logger';
import { startStack, type Stack } from '../../stack/stack';
import { makeTempDir } from '../../stack/testing/temp-dir';
import { startHostServer, type HostServer, type HostTimeouts } from '../host-server';

export interface TestHost {
  readonly stack: Stack;
  readonly server: HostServer;
  readonly base: string;
  readonly dir: string;
  /** Every line the host logged. */
  readonly logLines: string[];
  stop(): Promise<void>;
}

/** A real stack and host server on a free port, over a stub renderer (index.html, one asset, a file outside). */
export async function startTestHost(options: { clock?: Clock; timeouts?: Partial<HostTimeouts>; launchCodeTtlMs?: number } = {}): Promise<TestHost> {
  const dir = makeTempDir();
  const rendererDir = join(dir.path, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>panel</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir.path, 'secret.txt'), 'outside the renderer');
  const logLines: string[] = [];
  const stack = await startStack({ dataDir: join(dir.path, 'data'), role: 'test', log: createLogger({ write: () => undefined }), monitorIntervalMs: 50 });
  const server = await startHostServer({
    dispatcher: stack.dispatcher,
    hub: stack.hub,
    rendererDir,
    port: 0,
    log: createLogger({ level: 'debug', write: (line) => logLines.push(line) }),
    ...options,
  });
  return {
    stack,
    server,
    base: server.origin,
    dir: dir.path,
    logLines,
    stop: async () => {
      await server.close();
      await stack.stop();
      dir.remove();
    },
  };
}

/** The launch code inside a launch link. */
export function codeOf(url: string): string {
  const code = takeLaunchCode(new URL(url).hash).code;
  if (!code) throw new Error(`no launch code in ${url}`);
  return code;
}

/** Trades a code the way the panel does; resolves to the HTTP status and the reply. */
export async function tradeCode(base: string, code: string, headers: Record<string, string> = { origin: base }): Promise<{ status: number; reply: { ok: boolean; result?: { credential: string }; error?: { code: string; message: string } } }> {
  const response = await fetch(`${base}${SESSION_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ code }) });
  return { status: response.status, reply: (await response.json()) as never };
}

/** A fresh session credential, as a tab gets it. */
export async function openSession(host: TestHost): Promise<string> {
  const { reply } = await tradeCode(host.base, codeOf(host.server.launchLink().url));
  if (!reply.result) throw new Error(`no session: ${JSON.stringify(reply)}`);
  return reply.result.credential;
}

export interface EventSocket {
  readonly socket: WebSocket;
  readonly messages: ServerMessage[];
  /** The greeting the host sent first. */
  readonly hello: ServerMessage;
  next(predicate: (m: ServerMessage) => boolean): Promise<ServerMessage>;
}

/** Opens the event WebSocket as a browser would (credential as a subprotocol); resolves after the hello. */
export async function connectEvents(host: TestHost, options: { credential?: string; headers?: Record<string, string> } = {}): Promise<EventSocket> {
  const protocols = options.credential === undefined ? [WS_PROTOCOL] : [WS_PROTOCOL, `${WS_CREDENTIAL_PREFIX}${options.credential}`];
  const socket = new WebSocket(`ws://127.0.0.1:${host.server.port}/ws`, protocols, { headers: { origin: host.base, ...options.headers } });
  const messages: ServerMessage[] = [];
  const waiters: Array<{ predicate: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }> = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as ServerMessage;
    const waiter = waiters.find((w) => w.predicate(message));
    if (waiter) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(message);
    } else {
      messages.push(message);
    }
  });
  const next = (predicate: (m: ServerMessage) => boolean) =>
    new Promise<ServerMessage>((resolve) => {
      const seen = messages.find(predicate);
      if (seen) {
        messages.splice(messages.indexOf(seen), 1);
        resolve(seen);
      } else waiters.push({ predicate, resolve });
    });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });
  const hello = await next((m) => m.type === 'hello');
  return { socket, messages, hello, next };
}

/**
 * One HTTP request with full control of the headers (fetch refuses to send a forged Host): resolves to
 * the status and the parsed JSON body.
 */
export function rawRequest(host: TestHost, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port: host.server.port, method: options.method ?? 'POST', path: options.path, headers: options.headers }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, json: text ? (JSON.parse(text) as unknown) : null }));
    });
    request.on('error', reject);
    request.end(options.body);
  });
}
