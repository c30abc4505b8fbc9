import { systemClock, type Clock } from '../clock/clock';
import { BulkheadError } from '../errors';
import { anthropicProtocol, type AnthropicProtocolOptions } from './anthropic-protocol';
import { scrubSecrets } from './api-keys';
import { resolveEndpoint, type ProviderEndpoint } from './base-url';
import type { BoundApiKey } from './bound-api-key';
import { estimateCall, noRetries, type CallPermit, type ProviderGovernor, type RetryPolicy } from './call-pipeline';
import { classifyTransportError } from './classify-error';
import { ProviderHttpPool, type PoolSnapshot, type ProviderPoolOptions } from './http-pool';
import { openAIProtocol, type OpenAIProtocolOptions } from './openai-protocol';
import { DIRECT, proxyRouteFor } from './proxy-env';
import type { ProviderError, ProviderErrorKind } from './provider-error';
import type { ChatRequest, ChatResult, ProviderName } from './provider-types';
import { sendOnce, type SendOptions } from './provider-transport';

export interface ProviderClientOptions {
  provider: ProviderName;
  /**
   * Any OpenAI-compatible base URL for `openai`; with or without /v1 (see resolveEndpoint). Default: the
   * key's own base URL. Its origin must be the one the key is bound to.
   */
  baseUrl?: string | undefined;
  /** From resolveApiKey (or BoundApiKey.explicit for a key that is no secret); never logged, masked in snapshots. */
  apiKey: BoundApiKey;
  clock?: Clock;
  pool?: ProviderPoolOptions;
  /** Whose HTTPS_PROXY / HTTP_PROXY / NO_PROXY (and lower-case forms) route the calls. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Never through a proxy: the in-process simulator listens on this machine's loopback. */
  direct?: boolean;
  /** Default 60 s. */
  headersTimeoutMs?: number;
  /** Default 60 s between body chunks. */
  bodyTimeoutMs?: number;
  /** The provider limiter; omit for an ungoverned client. */
  governor?: ProviderGovernor;
  /** Default: no retries (the caller's loop or the governed retry loop decides). */
  retry?: RetryPolicy;
  /** Told after every HTTP attempt, for run statistics (429s, retries). */
  onAttempt?: (event: AttemptEvent) => void;
  openai?: OpenAIProtocolOptions;
  anthropic?: AnthropicProtocolOptions;
}

export interface AttemptEvent {
  provider: ProviderName;
  attempt: number;
  ok: boolean;
  status: number | null;
  errorKind: ProviderErrorKind | null;
  ms: number;
}

export interface ProviderClientSnapshot {
  provider: ProviderName;
  endpoint: string;
  apiKey: string;
  governed: boolean;
  pool: PoolSnapshot;
  calls: { started: number; succeeded: number; failed: number; inFlight: number };
  attempts: number;
  retries: number;
  byStatus: Record<string, number>;
  errorsByKind: Partial<Record<ProviderErrorKind, number>>;
}

export type ChatOptions = SendOptions;

export interface ProviderClient {
  readonly provider: ProviderName;
  readonly endpoint: ProviderEndpoint;
  chat(request: ChatRequest, options?: ChatOptions): Promise<ChatResult>;
  snapshot(): ProviderClientSnapshot;
  /** Waits for running calls, then closes the pool's sockets. */
  close(options?: { destroy?: boolean }): Promise<void>;
}

/**
 * An OpenAI- or Anthropic-API client over a bounded undici pool, with the governance seam around each
 * HTTP attempt. Errors are ProviderErrors with secrets scrubbed from their messages.
 */
export function createProviderClient(options: ProviderClientOptions): ProviderClient {
  const provider = options.provider;
  const clock = options.clock ?? systemClock;
  const apiKey = options.apiKey;
  if (apiKey.provider !== provider) {
    throw new BulkheadError('provider.key_mismatch', `A ${apiKey.provider} key was given to the ${provider} client.`, { remedy: `Resolve the ${provider} key for it.` });
  }
  const endpoint = resolveEndpoint(provider, options.baseUrl ?? apiKey.baseUrl);
  // Refused here, before a socket opens; the transport checks again where the header is attached.
  apiKey.assertAllows(endpoint.url, `the ${provider} base URL`);
  const protocol = provider === 'openai' ? openAIProtocol(options.openai) : anthropicProtocol(options.anthropic);
  const proxy = options.direct ? DIRECT : proxyRouteFor(endpoint.url, options.env ?? process.env);
  const pool = new ProviderHttpPool(endpoint.origin, { ...options.pool, proxy });
  const scrub = (text: string): string => scrubSecrets(apiKey.scrub(text), []);
  const retry = options.retry ?? noRetries;
  const headersTimeoutMs = options.headersTimeoutMs ?? 60_000;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 60_000;
  const transport = { protocol, endpoint, pool, clock, apiKey, headersTimeoutMs, bodyTimeoutMs, scrub };

  const counters = { started: 0, succeeded: 0, failed: 0, inFlight: 0, attempts: 0, retries: 0 };
  const byStatus: Record<string, number> = {};
  const errorsByKind: Partial<Record<ProviderErrorKind, number>> = {};

  const attemptOnce = async (request: ChatRequest, send: SendOptions, attempt: number): Promise<ChatResult> => {
    counters.attempts += 1;
    if (attempt > 1) counters.retries += 1;
    let permit: CallPermit | undefined;
    if (options.governor) permit = await options.governor.acquire(estimateCall(provider, request), send.signal);
    const started = clock.now();
    try {
      const result = await sendOnce(transport, request, send);
      permit?.settle({ ok: true, status: result.status, headers: result.headers, usage: result.usage });
      count(byStatus, String(result.status));
      options.onAttempt?.({ provider, attempt, ok: true, status: result.status, errorKind: null, ms: clock.now() - started });
      return { ...result, attempts: attempt };
    } catch (thrown) {
      const error = classifyTransportError(provider, thrown, send.signal, scrub);
      permit?.settle({ ok: false, error });
      if (error.status !== null) count(byStatus, String(error.status));
      options.onAttempt?.({ provider, attempt, ok: false, status: error.status, errorKind: error.kind, ms: clock.now() - started });
      throw error;
    }
  };

  return {
    provider,
    endpoint,
    async chat(request, chatOptions = {}) {
      validateRequest(request);
      counters.started += 1;
      counters.inFlight += 1;
      try {
        const result = await retry.run((attempt) => attemptOnce(request, chatOptions, attempt), chatOptions.signal);
        counters.succeeded += 1;
        return result;
      } catch (error) {
        counters.failed += 1;
        const kind = (error as Partial<ProviderError>).kind;
        if (kind) count(errorsByKind, kind);
        throw error;
      } finally {
        counters.inFlight -= 1;
      }
    },
    snapshot: () => ({
      provider,
      endpoint: endpoint.url,
      apiKey: apiKey.masked(),
      governed: options.governor !== undefined,
      pool: pool.snapshot(),
      calls: { started: counters.started, succeeded: counters.succeeded, failed: counters.failed, inFlight: counters.inFlight },
      attempts: counters.attempts,
      retries: counters.retries,
      byStatus: { ...byStatus },
      errorsByKind: { ...errorsByKind },
    }),
    close: (closeOptions) => pool.close(closeOptions),
  };
}

function count<K extends string>(map: Partial<Record<K, number>>, key: K): void {
  map[key] = (map[key] ?? 0) + 1;
}

function validateRequest(request: ChatRequest): void {
  const problems: string[] = [];
  if (typeof request.model !== 'string' || request.model === '') problems.push('model must be a non-empty string');
  if (!Array.isArray(request.messages) || request.messages.length === 0) problems.push('messages must have at least one message');
  if (!Number.isInteger(request.maxTokens) || request.maxTokens < 1) problems.push('maxTokens must be a whole number ≥ 1');
  if (request.n !== undefined && (!Number.isInteger(request.n) || request.n < 1)) problems.push('n must be a whole number ≥ 1');
  if (problems.length > 0) {
    throw new BulkheadError('provider.invalid_chat_request', `Invalid chat request: ${problems.join('; ')}.`, { remedy: 'Fix the named fields before calling the provider.' });
  }
}
