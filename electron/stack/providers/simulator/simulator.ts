import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { handleModels } from './models-route';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../../clock/clock';
import { BulkheadError, describeError } from '../../errors';
import type { Logger } from '../../log/logger';
import { ADMIN_PREFIX, handleAdmin } from './admin-route';
import { handleMessages } from './anthropic-route';
import { anthropicError, ANTHROPIC_MESSAGES } from './anthropic-wire';
import type { FaultSetting } from './faults';
import { handleChatCompletions } from './openai-route';
import { invalidUrl, OPENAI_ERRORS } from './openai-wire';
import { SimulatorEngine, type SimulatorControl, type SimulatorSnapshot } from './sim-engine';
import { readBody, sendJson, type SimRequest } from './sim-http';
import type { SettingsPatch } from './sim-config';

export interface SimulatorOptions {
  /** Default 127.0.0.1: the simulator is for this machine only. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Seeds jitter, fault decisions and generated text (default 1). */
  seed?: number;
  /** Drives the buckets, fault expiry and latency; ManualClock in tests. */
  clock?: Clock;
  settings?: SettingsPatch;
  faults?: readonly FaultSetting[];
  /** Token for the /_sim/ admin routes; random per launch when omitted; null turns them off. */
  adminToken?: string | null;
  /** Aborting stops the simulator. */
  signal?: AbortSignal;
  log?: Logger;
}

export interface RunningSimulator {
  /** http://host:port — the origin; see openaiBaseUrl / anthropicBaseUrl for SDK base URLs. */
  readonly url: string;
  readonly port: number;
  /** What an OpenAI SDK's baseURL should be: `${url}/v1`. */
  readonly openaiBaseUrl: string;
  /** What an Anthropic SDK's baseURL should be: the origin (the SDK adds /v1/messages). */
  readonly anthropicBaseUrl: string;
  readonly adminToken: string | null;
  readonly control: SimulatorControl;
  snapshot(): SimulatorSnapshot;
  /** Closes the listener and every open connection (hung and streaming ones too); idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the OpenAI- and Anthropic-compatible provider simulator on a real HTTP server. Routes:
 * POST /v1/chat/completions, POST /v1/messages, GET /v1/models, and the guarded /_sim/ admin routes.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  if (options.signal?.aborted) throw new BulkheadError('simulator.aborted', 'The simulator was stopped before it started.');
  const engine = new SimulatorEngine({ clock: options.clock ?? systemClock, seed: options.seed ?? 1, settings: options.settings, faults: options.faults });
  const adminToken = options.adminToken === undefined ? randomBytes(16).toString('hex') : options.adminToken;
  const sockets = new Set<Socket>();
  const server = createServer({ keepAliveTimeout: 30_000, requestTimeout: 0 }, (req, res) => {
    void route(engine, adminToken, req, res).catch((error: unknown) => {
      options.log?.warn('simulator request failed', error);
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, {}, JSON.stringify(OPENAI_ERRORS.server), engine);
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    engine.stats.connectionOpened();
    socket.on('close', () => {
      sockets.delete(socket);
      engine.stats.connectionClosed();
    });
  });
  // Bad request lines and the like: answer 400 and close rather than crash.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });

  const host = options.host ?? '127.0.0.1';
  await listen(server, host, options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= new Promise<void>((resolve) => {
      options.signal?.removeEventListener('abort', onAbort);
      engine.dispose();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    }));
  const onAbort = (): void => void stop();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  return {
    url,
    port,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    adminToken,
    control: engine,
    snapshot: () => engine.snapshot(),
    stop,
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        new BulkheadError('simulator.listen_failed', `The provider simulator could not listen on ${host}:${port}: ${describeError(error)}.`, {
          remedy: error.code === 'EADDRINUSE' ? 'Pick another --port, or 0 for any free port.' : 'Check the host and port.',
          cause: error,
        }),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

async function route(engine: SimulatorEngine, adminToken: string | null, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const body = await readBody(req);
  if (adminToken !== null && path.startsWith(ADMIN_PREFIX)) return handleAdmin(engine, adminToken, req, res, body ?? Buffer.alloc(0));

  const now = engine.clock.now();
  engine.stats.arrived(now);
  const closed = new AbortController();
  res.once('close', () => {
    engine.stats.finished();
    if (!res.writableFinished) {
      engine.stats.clientAborted();
      closed.abort();
    }
  });
  const { random, tag } = engine.nextRequest();
  const isOpenAI = path === '/v1/chat/completions';
  const isAnthropic = path === '/v1/messages';
  if (req.method === 'POST' && (isOpenAI || isAnthropic)) {
    engine.stats.routed(isOpenAI ? 'openai' : 'anthropic');
    if (body === null) {
      const tooBig = isOpenAI ? JSON.stringify(OPENAI_ERRORS.tooBig) : JSON.stringify(anthropicError('request_too_large', ANTHROPIC_MESSAGES.tooBig));
      return sendJson(res, 413, {}, tooBig, engine);
    }
    // Network faults come first: they model the path to the provider, not the provider.
    if (engine.faults.hits('reset', random.next)) {
      engine.stats.fault('reset');
      req.socket.resetAndDestroy();
      return;
    }
    if (engine.faults.hits('hang', random.next)) {
      engine.stats.fault('hang');
      await engine.faults.waitForHangToEnd(closed.signal);
      if (closed.signal.aborted || res.destroyed) return;
    }
    // Congestion is the provider as a whole: past the cliff it refuses before looking at your limits.
    const congestion = engine.congestion.admit(engine.clock.now());
    if (!congestion.ok) {
      engine.stats.fault('overload');
      if (isOpenAI) return sendJson(res, 503, { 'x-request-id': `req_${tag}` }, JSON.stringify(OPENAI_ERRORS.overloaded), engine);
      const requestId = `req_${tag}`;
      return sendJson(res, 529, { 'request-id': requestId }, JSON.stringify(anthropicError('overloaded_error', ANTHROPIC_MESSAGES.overloaded, requestId)), engine);
    }
    const request: SimRequest = { engine, req, res, body, random, tag, closed: closed.signal, latencyFactor: congestion.latencyFactor };
    try {
      return await (isOpenAI ? handleChatCompletions(request) : handleMessages(request));
    } finally {
      congestion.release();
    }
  }
  if (req.method === 'GET' && path === '/v1/models') return handleModels(engine, req, res, tag);
  if (path.startsWith('/v1/messages')) {
    return sendJson(res, 404, {}, JSON.stringify(anthropicError('not_found_error', `${req.method ?? 'GET'} ${path} not found`, `req_${tag}`)), engine);
  }
  return sendJson(res, 404, {}, JSON.stringify(invalidUrl(req.method ?? 'GET', path)), engine);
}
