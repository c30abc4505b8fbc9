import type { Clock } from '../clock/clock';
import { badResponse, classifyHttpError, classifyTransportError } from './classify-error';
import type { ProviderEndpoint } from './base-url';
import type { BoundApiKey } from './bound-api-key';
import type { ProviderHttpPool } from './http-pool';
import type { ParsedAnswer, ProviderProtocol } from './protocol';
import { ProviderError } from './provider-error';
import type { ChatRequest, ChatResult, ProviderName } from './provider-types';
import { SseParser } from './sse-parser';

export interface TransportOptions {
  protocol: ProviderProtocol;
  endpoint: ProviderEndpoint;
  pool: ProviderHttpPool;
  clock: Clock;
  apiKey: BoundApiKey;
  /** Most time from sending to the response headers. */
  headersTimeoutMs: number;
  /** Most time between two body chunks (a stalled stream fails after this). */
  bodyTimeoutMs: number;
  scrub: (text: string) => string;
}

export interface SendOptions {
  signal?: AbortSignal | undefined;
  /** Streaming: called with each piece of text as it arrives. */
  onText?: ((delta: string) => void) | undefined;
}

export type SingleAttemptResult = Omit<ChatResult, 'attempts'>;

/**
 * One HTTP attempt: POST through the pool, then read JSON or SSE into a normalized result. Every
 * failure leaves as a classified ProviderError, and the response body is always consumed or destroyed
 * (so its socket returns to the pool or is closed — never leaked).
 */
export async function sendOnce(options: TransportOptions, request: ChatRequest, send: SendOptions): Promise<SingleAttemptResult> {
  const { protocol, clock, scrub } = options;
  const provider = protocol.provider;
  // The key is read for the origin this pool's sockets connect to, and only for it (throws otherwise).
  // undici's Pool follows no redirect, so the request and its header never leave that origin.
  let requestHeaders: Record<string, string>;
  try {
    requestHeaders = protocol.headers(options.apiKey.revealFor(options.pool.origin));
  } catch (refusal) {
    throw keyRefused(provider, refusal);
  }
  const started = clock.now();
  let response: Awaited<ReturnType<ProviderHttpPool['request']>>;
  try {
    response = await options.pool.request({
      path: options.endpoint.path,
      method: 'POST',
      headers: requestHeaders,
      body: protocol.body(request),
      signal: send.signal ?? null,
      headersTimeout: options.headersTimeoutMs,
      bodyTimeout: options.bodyTimeoutMs,
    });
  } catch (error) {
    throw classifyTransportError(provider, error, send.signal, scrub);
  }
  const ttfbMs = clock.now() - started;
  const status = response.statusCode;
  const headers = flattenHeaders(response.headers);
  const body = response.body;
  try {
    if (status >= 300 && status < 400) {
      // Drained (up to undici's small limit) so the socket is reused or closed cleanly.
      await body.dump();
      throw badResponse(provider, status, headers, `a redirect${redirectTarget(headers.location, options.pool.origin)}. Redirects are not followed, so the API key never goes to another origin: use the URL it points to as the base URL`, scrub);
    }
    if (status < 200 || status >= 300) {
      const text = await body.text();
      throw classifyHttpError(provider, status, headers, text, clock.now(), scrub);
    }
    const isSse = (headers['content-type'] ?? '').includes('text/event-stream');
    let answer: ParsedAnswer;
    let firstTokenMs: number | null = null;
    if (isSse) {
      const accumulator = protocol.stream(headers, scrub);
      const parser = new SseParser();
      const decoder = new TextDecoder();
      const take = (events: ReturnType<SseParser['push']>): void => {
        for (const event of events) {
          const outcome = accumulator.accept(event);
          if ('error' in outcome) throw outcome.error;
          if (outcome.delta !== '') {
            firstTokenMs ??= clock.now() - started;
            send.onText?.(outcome.delta);
          }
        }
      };
      for await (const chunk of body) {
        // Read to the end even after the done marker, so the socket goes back to the pool for reuse.
        take(parser.push(decoder.decode(chunk as Buffer, { stream: true })));
      }
      take(parser.push(decoder.decode()));
      take(parser.end());
      if (!accumulator.complete) {
        throw classifyTransportError(provider, Object.assign(new Error('the stream ended before the provider said it was complete'), { code: 'ECONNRESET' }), send.signal, scrub, { status, headers });
      }
      answer = accumulator.answer();
    } else {
      const text = await body.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw badResponse(provider, status, headers, `not JSON (${text.slice(0, 80)})`, scrub);
      }
      const parsed = protocol.parseAnswer(json);
      if (!parsed) throw badResponse(provider, status, headers, `not a ${provider} answer`, scrub);
      answer = parsed;
    }
    return {
      provider,
      model: request.model,
      text: answer.text,
      finishReason: answer.finishReason,
      usage: answer.usage,
      status,
      headers,
      requestId: headers['x-request-id'] ?? headers['request-id'] ?? answer.id,
      timings: { ttfbMs, firstTokenMs, totalMs: clock.now() - started },
    };
  } catch (error) {
    throw classifyTransportError(provider, error, send.signal, scrub, { status, headers });
  } finally {
    // Not fully read (error, early break): destroying closes the socket instead of reusing a dirty one.
    if (!body.destroyed && !body.readableEnded) body.destroy();
  }
}

/** A refused key is a non-retryable auth failure of the call (the refusal's message and remedy kept). */
function keyRefused(provider: ProviderName, refusal: unknown): ProviderError {
  const message = refusal instanceof Error ? refusal.message : String(refusal);
  return new ProviderError(
    { provider, kind: 'auth', status: null, providerType: null, providerCode: 'key_origin_mismatch', retryable: false, retryAfterMs: undefined, providerWide: false, headers: {}, requestId: null, midStream: false },
    message,
    refusal,
  );
}

/** " to https://other.example" for an absolute Location on another origin; the path is left out (it may carry a token). */
function redirectTarget(location: string | undefined, origin: string): string {
  if (!location) return '';
  try {
    const target = new URL(location, origin);
    return target.origin === origin ? ` within ${origin}` : ` to ${target.origin}`;
  } catch {
    return '';
  }
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
