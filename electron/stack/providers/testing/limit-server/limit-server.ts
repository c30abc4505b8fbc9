import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicHeaders, openAiHeaders } from './limit-headers';
import { ServerBucket } from './server-bucket';

/**
 * An independent limit server for measuring the provider limiter: OpenAI's `POST /v1/chat/completions`
 * or Anthropic's `POST /v1/messages` (JSON, not streaming) behind continuously refilled token buckets —
 * requests and tokens (OpenAI) or requests, input tokens and output tokens (Anthropic) — each holding
 * `windowSeconds` of its per-minute rate. Every answer carries that provider's real rate-limit headers;
 * a request that finds a bucket short is refused with 429, the provider's error body and `retry-after`,
 * and is not charged. It counts what it admitted against what a perfect client could have had
 * (LimitServerStats), so tests assert on ratios it computes, never on wall-clock durations.
 *
 * Charging, as docs/provider-rate-limit-headers.md describes the providers:
 * - OpenAI: 1 request; tokens max(max_tokens, prompt tokens) up front, prompt + completion at the end.
 * - Anthropic: 1 request; input tokens up front; output tokens max_tokens up front, the generated count
 *   at the end.
 * Prompt tokens are counted the server's own way: ceil(characters / 4) + 3 per message.
 */
export type LimitProvider = 'openai' | 'anthropic';

export interface LimitSettings {
  requestsPerMinute: number;
  /** OpenAI TPM. */
  tokensPerMinute?: number;
  /** Anthropic ITPM. */
  inputTokensPerMinute?: number;
  /** Anthropic OTPM. */
  outputTokensPerMinute?: number;
  /** How many seconds of the per-minute rate each bucket holds: 60 = the full minute, 5 = quantized. */
  windowSeconds: number;
}

export interface LimitServerOptions extends LimitSettings {
  provider: LimitProvider;
  /** Tokens each answer generates (capped by max_tokens). Default 40. */
  answerTokens?: number;
  /** Real-time delay before each answer. Default 0. */
  latencyMs?: number;
  /** The server's time; tests pass a manual clock's. Default Date.now. */
  now?: () => number;
  port?: number;
}

export interface BucketStats {
  name: string;
  limitPerMinute: number;
  capacity: number;
  spent: number;
  offered: number;
  /** spent / offered. */
  used: number;
}

export interface LimitServerStats {
  provider: LimitProvider;
  windowSeconds: number;
  received: number;
  admitted: number;
  refused429: number;
  /** refused429 / received. */
  share429: number;
  /** The binding bucket's spent / offered: the share of the server's capacity the client used. */
  capacityUsed: number;
  /** From the first request to the latest one, in the server's time. */
  measuredMs: number;
  buckets: BucketStats[];
}

export interface RunningLimitServer {
  readonly url: string;
  stats(): LimitServerStats;
  /** Requests being answered right now (tests step a manual clock only while none is). */
  inFlight(): number;
  /** Changes the limits from now on (the level never exceeds a smaller new capacity). */
  setLimits(settings: LimitSettings): void;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;

export async function startLimitServer(options: LimitServerOptions): Promise<RunningLimitServer> {
  const now = options.now ?? Date.now;
  const answerTokens = options.answerTokens ?? 40;
  const latencyMs = options.latencyMs ?? 0;
  const buckets = makeBuckets(options, now());
  let windowSeconds = options.windowSeconds;
  let received = 0;
  let admitted = 0;
  let refused = 0;
  let firstAt: number | null = null;
  let latestAt = 0;
  let inFlight = 0;
  const timers = new Set<NodeJS.Timeout>();

  const route = options.provider === 'openai' ? '/v1/chat/completions' : '/v1/messages';

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method === 'GET' && request.url === '/stats') return sendJson(response, 200, {}, stats());
    if (request.method !== 'POST' || request.url !== route) return sendJson(response, 404, {}, { error: { message: `this limit server answers POST ${route} and GET /stats` } });
    const body = await readJson(request);
    if (body === null) return sendJson(response, 400, {}, errorBody(options.provider, 'invalid_request_error', 'the body must be a JSON object under 1 MiB'));
    const maxTokens = typeof body.max_tokens === 'number' && body.max_tokens > 0 ? Math.floor(body.max_tokens) : 16;
    const promptTokens = countPromptTokens(body);
    const at = now();
    received += 1;
    firstAt ??= at;
    latestAt = Math.max(latestAt, at);
    for (const bucket of buckets.all) bucket.advance(at, true);
    const costs = upFrontCosts(options.provider, buckets, promptTokens, maxTokens);
    const tooLarge = costs.find(([bucket, cost]) => cost > bucket.capacity);
    if (tooLarge) {
      return sendJson(response, 400, headersNow(at), errorBody(options.provider, 'invalid_request_error', `request needs ${tooLarge[1]} ${tooLarge[0].name} but the bucket holds ${tooLarge[0].capacity}`));
    }
    const waitMs = Math.max(...costs.map(([bucket, cost]) => bucket.msUntil(cost)));
    if (waitMs > 0) {
      refused += 1;
      const short = costs.find(([bucket, cost]) => bucket.msUntil(cost) === waitMs)![0];
      const retryHeaders: Record<string, string> = { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) };
      if (options.provider === 'openai') retryHeaders['retry-after-ms'] = String(Math.ceil(waitMs));
      const message = `Rate limit reached for ${short.name} (limit ${short.limitPerMinute} per minute). Please try again in ${(waitMs / 1000).toFixed(3)}s.`;
      return sendJson(response, 429, { ...headersNow(at), ...retryHeaders }, errorBody(options.provider, 'rate_limit', message, short.name));
    }
    for (const [bucket, cost] of costs) bucket.take(cost);
    admitted += 1;
    if (latencyMs > 0) await delay(latencyMs, timers);
    const generated = Math.min(maxTokens, answerTokens);
    const end = now();
    for (const bucket of buckets.all) bucket.advance(end, false);
    // The end-of-call correction: what the call really used replaces the up-front charge.
    if (options.provider === 'openai') buckets.tokens.give(Math.max(maxTokens, promptTokens) - (promptTokens + generated));
    else buckets.output.give(maxTokens - generated);
    const model = typeof body.model === 'string' ? body.model : 'limit-server';
    sendJson(response, 200, headersNow(end), answerBody(options.provider, model, promptTokens, generated, admitted));
  }

  function headersNow(at: number): Record<string, string> {
    return options.provider === 'openai' ? openAiHeaders(buckets.requests, buckets.tokens) : anthropicHeaders({ requests: buckets.requests, input: buckets.input, output: buckets.output }, at);
  }

  function stats(): LimitServerStats {
    const measured = options.provider === 'openai' ? [buckets.requests, buckets.tokens] : [buckets.requests, buckets.input, buckets.output];
    const rows = measured.map((bucket): BucketStats => {
      const { spent, offered } = bucket.accounts();
      return { name: bucket.name, limitPerMinute: bucket.limitPerMinute, capacity: bucket.capacity, spent, offered: offered ?? 0, used: offered ? spent / offered : 0 };
    });
    return {
      provider: options.provider,
      windowSeconds,
      received,
      admitted,
      refused429: refused,
      share429: received === 0 ? 0 : refused / received,
      capacityUsed: Math.max(0, ...rows.map((row) => row.used)),
      measuredMs: firstAt === null ? 0 : latestAt - firstAt,
      buckets: rows,
    };
  }

  const server: Server = createServer((request, response) => {
    inFlight += 1;
    handle(request, response)
      .catch((error: unknown) => {
        if (!response.headersSent) sendJson(response, 500, {}, errorBody(options.provider, 'api_error', error instanceof Error ? error.message : String(error)));
        else response.destroy();
      })
      .finally(() => (inFlight -= 1));
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    inFlight: () => inFlight,
    setLimits(settings: LimitSettings): void {
      const at = now();
      windowSeconds = settings.windowSeconds;
      buckets.requests.reconfigure(settings.requestsPerMinute, settings.windowSeconds, at);
      buckets.tokens.reconfigure(settings.tokensPerMinute ?? buckets.tokens.limitPerMinute, settings.windowSeconds, at);
      buckets.input.reconfigure(settings.inputTokensPerMinute ?? buckets.input.limitPerMinute, settings.windowSeconds, at);
      buckets.output.reconfigure(settings.outputTokensPerMinute ?? buckets.output.limitPerMinute, settings.windowSeconds, at);
    },
    async stop(): Promise<void> {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Buckets {
  requests: ServerBucket;
  tokens: ServerBucket;
  input: ServerBucket;
  output: ServerBucket;
  all: ServerBucket[];
}

function makeBuckets(options: LimitServerOptions, at: number): Buckets {
  const bucket = (name: string, perMinute: number | undefined): ServerBucket => new ServerBucket(name, perMinute ?? 1_000_000_000, options.windowSeconds, at);
  const requests = bucket('requests', options.requestsPerMinute);
  const tokens = bucket('tokens', options.tokensPerMinute);
  const input = bucket('input_tokens', options.inputTokensPerMinute);
  const output = bucket('output_tokens', options.outputTokensPerMinute);
  return { requests, tokens, input, output, all: options.provider === 'openai' ? [requests, tokens] : [requests, input, output] };
}

function upFrontCosts(provider: LimitProvider, buckets: Buckets, promptTokens: number, maxTokens: number): [ServerBucket, number][] {
  if (provider === 'openai') return [[buckets.requests, 1], [buckets.tokens, Math.max(maxTokens, promptTokens)]];
  return [[buckets.requests, 1], [buckets.input, promptTokens], [buckets.output, maxTokens]];
}

/** ceil(characters / 4) + 3 per message, system prompt included; non-text parts count nothing. */
export function countPromptTokens(body: Record<string, unknown>): number {
  const textOf = (content: unknown): string => {
    if (typeof content === 'string') return content;
    if (!Array.isArray(content)) return '';
    return content.map((part: unknown) => (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : '')).join('');
  };
  let tokens = body.system !== undefined ? Math.ceil(textOf(body.system).length / 4) + 3 : 0;
  const messages = Array.isArray(body.messages) ? body.messages : [];
  for (const message of messages) tokens += Math.ceil(textOf((message as { content?: unknown } | null)?.content).length / 4) + 3;
  return tokens;
}

function answerBody(provider: LimitProvider, model: string, promptTokens: number, generated: number, serial: number): unknown {
  const text = 'ok '.repeat(generated).trim();
  if (provider === 'openai') {
    return {
      id: `chatcmpl-limit-${serial}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
      usage: { prompt_tokens: promptTokens, completion_tokens: generated, total_tokens: promptTokens + generated },
    };
  }
  return {
    id: `msg_limit_${serial}`,
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    usage: { input_tokens: promptTokens, output_tokens: generated, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}

function errorBody(provider: LimitProvider, kind: 'rate_limit' | 'invalid_request_error' | 'api_error', message: string, bucket?: string): unknown {
  if (provider === 'anthropic') {
    const type = kind === 'rate_limit' ? 'rate_limit_error' : kind;
    return { type: 'error', error: { type, message }, request_id: null };
  }
  if (kind === 'rate_limit') return { error: { message, type: bucket === 'requests' ? 'requests' : 'tokens', param: null, code: 'rate_limit_exceeded' } };
  return { error: { message, type: kind, param: null, code: null } };
}

function sendJson(response: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown> | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function delay(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.add(timer);
  });
}
