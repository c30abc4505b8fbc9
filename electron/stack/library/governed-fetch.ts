import { systemClock, type Clock } from '../clock/clock';
import { BulkheadError } from '../errors';
import { classifyTransportError } from '../providers/classify-error';
import type { ProviderError } from '../providers/provider-error';
import type { ProviderName, Usage } from '../providers/provider-types';
import type { SharedStoreEvent } from '../ratelimit/fallback-limiter-store';
import { ProviderLimiter } from '../ratelimit/provider/provider-limiter';
import type { ProviderLimitsConfig } from '../ratelimit/provider/provider-buckets';
import { RetryLoop, type RetryLoopOptions } from '../ratelimit/retry-loop';
import { keyScopeOf } from './key-scope';
import { libraryRegistry } from './library-registry';
import { leaseStore, warnOnStderr, type StoreLease, type StoreOption } from './store-option';
import { demandOf, type RequestDemand } from './request-demand';
import { tapStream, usageOfJson, type UsageSource } from './usage-tap';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface GovernedFetchOptions {
  provider: ProviderName;
  /** Limiter name in snapshots (and on the panel). Default `openai` / `anthropic`. */
  name?: string;
  /**
   * Where buckets and pauses live: `{ redis: 'redis://host:6379' }` shares them with every process using
   * that Redis; 'memory' keeps them in this process; or a LimiterStore of your own. Default: Redis when
   * BULKHEAD_REDIS_URL is set, else one in-memory store per process shared by every governed fetch.
   */
  store?: StoreOption;
  /** Told when a Redis store becomes unreachable (calls go on with local limits) and when it is back. Default: stderr. */
  onStoreWarning?: (event: SharedStoreEvent) => void;
  /** Known limits; anything left out is learned from the provider's rate-limit headers. */
  limits?: ProviderLimitsConfig;
  /** The one retry loop's settings (default 5 attempts, 500 ms base, full jitter); false = one attempt. */
  retry?: RetryLoopOptions | false;
  /** The fetch that sends (default: the global fetch). */
  fetch?: FetchLike;
  clock?: Clock;
}

export interface GovernedFetchStats {
  calls: number;
  attempts: number;
  retries: number;
  http429: number;
  /** Calls settled by kind of usage: from the JSON answer, a stream's end event, or an estimate. */
  usageFrom: Record<UsageSource, number>;
  /** The last usage a call was reconciled with. */
  lastUsage: Usage | null;
}

export interface GovernedFetch extends FetchLike {
  /** The limiters this fetch created, one per API key (hash) it has seen. */
  limiters(): ProviderLimiter[];
  stats(): GovernedFetchStats;
  /** Closes the limiters (waiting calls get ClosedError), removes them from the registry, and lets go of a Redis connection. */
  close(): Promise<void>;
}

/**
 * A `fetch` for the official OpenAI and Anthropic SDKs (`new OpenAI({ fetch, maxRetries: 0 })`) that
 * governs every call: the provider limiter (budget per API key hash; a 429 pauses every caller of that
 * key, headers teach the limits), one retry loop (backoff with jitter, honouring retry-after), and
 * usage reconciliation from the answer or the stream's end event. It forwards exactly what the SDK
 * sends — it never adds, reads out or stores a key beyond its hash — and follows no redirect, so a key
 * is never sent to another origin. The SDK's own retries should be off (`maxRetries: 0`): otherwise each
 * SDK retry is one more governed call, still paced, but the loops multiply.
 */
export function createGovernedFetch(options: GovernedFetchOptions): GovernedFetch {
  const provider = options.provider;
  if (provider !== 'openai' && provider !== 'anthropic') {
    throw new BulkheadError('governed_fetch.invalid_provider', `createGovernedFetch: provider must be 'openai' or 'anthropic', not ${JSON.stringify(provider)}.`, {
      remedy: "Pass provider: 'openai' for OpenAI and OpenAI-compatible servers, 'anthropic' for Anthropic.",
    });
  }
  const clock = options.clock ?? systemClock;
  let lease: Promise<StoreLease> | null = null;
  const storeLease = (): Promise<StoreLease> => (lease ??= leaseStore(options.store, options.onStoreWarning ?? warnOnStderr));
  const baseName = options.name ?? provider;
  const send: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const stats: GovernedFetchStats = { calls: 0, attempts: 0, retries: 0, http429: 0, usageFrom: { response: 0, 'stream-end': 0, estimate: 0, none: 0 }, lastUsage: null };
  const limiters = new Map<string, { limiter: ProviderLimiter; unregister: () => void }>();
  const failures = new WeakMap<ProviderError, { response?: Response; thrown?: unknown }>();

  const limiterFor = async (headers: Headers): Promise<ProviderLimiter> => {
    const { scope, tag } = keyScopeOf(provider, headers);
    const { store } = await storeLease();
    let entry = limiters.get(scope);
    if (!entry) {
      const name = limiters.size === 0 ? baseName : `${baseName}#${tag}`;
      const limiter = new ProviderLimiter({ name, provider, scope, store, clock, ...(options.limits ? { limits: options.limits } : {}) });
      entry = { limiter, unregister: libraryRegistry.add({ kind: 'limiter', name, snapshot: () => limiter.snapshot() }) };
      limiters.set(scope, entry);
    }
    return entry.limiter;
  };

  const retry =
    options.retry === false
      ? null
      : new RetryLoop({
          clock,
          ...options.retry,
          onRetry: (info) => {
            stats.retries += 1;
            if (options.retry) options.retry.onRetry?.(info);
          },
        });

  const settle = (usage: Usage | null, source: UsageSource, reconcile: (usage: Usage | null) => void): void => {
    stats.usageFrom[source] += 1;
    if (usage) stats.lastUsage = usage;
    reconcile(usage);
  };

  const attemptOnce = async (limiter: ProviderLimiter, request: () => Request, demand: RequestDemand, signal: AbortSignal | undefined, attemptNumber: number): Promise<Response> => {
    if (attemptNumber > 1) limiter.noteRetry();
    const reservation = await limiter.reserve({ estimatedInputTokens: demand.estimatedInputTokens, maxOutputTokens: demand.maxOutputTokens, signal, label: demand.model });
    stats.attempts += 1;
    let response: Response;
    try {
      response = await send(request());
    } catch (thrown) {
      const error = classifyTransportError(provider, thrown, signal, (text) => text);
      limiter.observeError(error);
      reservation.fail();
      failures.set(error, { thrown });
      throw error;
    }
    const headers = Object.fromEntries(response.headers);
    if (response.status >= 400) {
      const text = await response.text().catch(() => '');
      const error = limiter.observeResponse(response.status, headers, text)!;
      if (response.status === 429) stats.http429 += 1;
      reservation.fail();
      // The SDK gets the provider's own answer when the loop gives up, and raises its own typed error.
      failures.set(error, { response: new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers }) });
      throw error;
    }
    limiter.observeResponse(response.status, headers);
    const isStream = (headers['content-type'] ?? '').includes('text/event-stream');
    if (isStream && response.body) {
      const body = tapStream(provider, response.body, headers, demand.estimatedInputTokens, {
        onUsage: (usage, source) => settle(usage, source, (u) => reservation.reconcile(u)),
        onBodyError: () => reservation.fail(),
        onStreamError: (error) => limiter.observeError(error),
      });
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    }
    if (response.status >= 300 || !response.body) {
      // A redirect (not followed: the key stays on its origin) or an empty answer: nothing to reconcile.
      settle(null, 'none', (u) => reservation.reconcile(u));
      return response;
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      reservation.fail();
      throw error;
    }
    const usage = usageOfJson(provider, text);
    settle(usage, usage ? 'response' : 'none', (u) => reservation.reconcile(u));
    return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
  };

  const governed = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const original = new Request(input, init);
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined) ?? undefined;
    const rawBody = init?.body ?? null;
    // A string body (what the SDKs send for JSON) can be sent again on a retry; streams and forms cannot.
    const replayable = rawBody === null || typeof rawBody === 'string';
    const bodyText = typeof rawBody === 'string' ? rawBody : input instanceof Request && init?.body === undefined && original.body ? await original.clone().text() : null;
    const demand = original.method === 'POST' ? demandOf(provider, bodyText) : demandOf(provider, null);
    const limiter = await limiterFor(original.headers);
    const request = (): Request => {
      const base = replayable || bodyText !== null ? new Request(original, { body: bodyText ?? null }) : original;
      return new Request(base, { redirect: 'manual', ...(signal ? { signal } : {}) });
    };
    stats.calls += 1;
    const attempt = (attemptNumber = 1): Promise<Response> => attemptOnce(limiter, request, demand, signal, attemptNumber);
    try {
      return retry && (replayable || bodyText !== null) ? await retry.run(attempt, signal) : await attempt();
    } catch (error) {
      // The caller's abort comes back as the caller's reason, as a plain fetch would reject.
      if (signal?.aborted) throw signal.reason;
      const failure = failures.get(error as ProviderError);
      if (failure?.response) return failure.response;
      if (failure && 'thrown' in failure) throw failure.thrown;
      throw error;
    }
  };

  return Object.assign(governed, {
    limiters: () => [...limiters.values()].map((entry) => entry.limiter),
    stats: (): GovernedFetchStats => ({ ...stats, usageFrom: { ...stats.usageFrom } }),
    close: async (): Promise<void> => {
      for (const entry of limiters.values()) {
        entry.limiter.close();
        entry.unregister();
      }
      limiters.clear();
      const held = lease;
      lease = null;
      if (held) await (await held.catch(() => null))?.release();
    },
  });
}
