import { describeError } from '../errors';
import { ProviderError, type ProviderErrorKind } from './provider-error';
import type { ProviderName } from './provider-types';
import { parseRetryAfterMs } from './retry-after';

/** The fields both providers' error bodies carry, read defensively (compatible servers vary). */
export interface ErrorBodyFields {
  message: string | undefined;
  type: string | null;
  code: string | null;
}

export function readErrorBody(text: string): ErrorBodyFields {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { message: text.trim() === '' ? undefined : text.trim().slice(0, 500), type: null, code: null };
  }
  const root = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  const error = root.error;
  if (typeof error === 'string') return { message: error, type: null, code: null };
  const e = (error && typeof error === 'object' ? error : root) as Record<string, unknown>;
  const details = e.details && typeof e.details === 'object' ? (e.details as Record<string, unknown>) : undefined;
  const str = (value: unknown): string | null => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null);
  return {
    message: str(e.message) ?? undefined,
    type: str(e.type),
    // OpenAI puts it in `code`; Anthropic's spend limit in `details.error_code`.
    code: str(e.code) ?? str(details?.error_code),
  };
}

const PROVIDER_LABEL: Record<ProviderName, string> = { openai: 'OpenAI', anthropic: 'Anthropic' };

/** Classifies a non-2xx HTTP answer by the rules in docs/provider-behaviour.md. `scrub` masks secrets in the message. */
export function classifyHttpError(
  provider: ProviderName,
  status: number,
  headers: Record<string, string>,
  bodyText: string,
  now: number,
  scrub: (text: string) => string,
): ProviderError {
  const body = readErrorBody(bodyText);
  const message = body.message ?? `HTTP ${status}`;
  const quota = body.code === 'insufficient_quota' || body.type === 'insufficient_quota' || body.code === 'enforced_spend_limit_reached';
  const tooLarge = /request too large/i.test(message) || status === 413;
  const overloaded = status === 529 || body.type === 'overloaded_error';
  const kind: ProviderErrorKind = quota
    ? 'quota_exhausted'
    : tooLarge
      ? 'request_too_large'
      : overloaded
        ? 'overloaded'
        : status === 429
          ? 'rate_limited'
          : status === 408
            ? 'timeout'
            : status === 409
              ? 'conflict'
              : status >= 500
                ? 'server_error'
                : status === 401 || status === 403
                  ? 'auth'
                  : 'invalid_request';
  const byStatus = status === 408 || status === 409 || status === 429 || status >= 500;
  const retryable = shouldRetryHeader(headers) ?? (byStatus && !quota && !tooLarge);
  return new ProviderError(
    {
      provider,
      kind,
      status,
      providerType: body.type,
      providerCode: body.code,
      retryable,
      retryAfterMs: parseRetryAfterMs(headers, body.message, now),
      providerWide: overloaded,
      headers,
      requestId: headers['x-request-id'] ?? headers['request-id'] ?? null,
      midStream: false,
    },
    scrub(`${PROVIDER_LABEL[provider]} answered ${status}${body.type ? ` ${body.type}` : ''}: ${message}`),
  );
}

/** `x-should-retry: true|false` overrides our own decision, as the official SDKs do. */
function shouldRetryHeader(headers: Record<string, string>): boolean | undefined {
  const value = headers['x-should-retry']?.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);
const CLOSED_CODES = new Set(['UND_ERR_DESTROYED', 'UND_ERR_CLOSED']);

/** A call that got no (complete) HTTP answer: aborted, timed out, or the connection failed. */
export function classifyTransportError(
  provider: ProviderName,
  error: unknown,
  signal: AbortSignal | undefined,
  scrub: (text: string) => string,
  partial?: { status: number; headers: Record<string, string> },
): ProviderError {
  if (error instanceof ProviderError) return error;
  const base = {
    provider,
    status: partial?.status ?? null,
    providerType: null,
    providerCode: null,
    retryAfterMs: undefined,
    providerWide: false,
    headers: partial?.headers ?? {},
    requestId: partial?.headers['x-request-id'] ?? partial?.headers['request-id'] ?? null,
    midStream: partial !== undefined,
  };
  const label = PROVIDER_LABEL[provider];
  if (signal?.aborted) {
    return new ProviderError({ ...base, kind: 'aborted', retryable: false }, scrub(`${label} call cancelled: ${describeError(signal.reason)}`), error);
  }
  const code = errorCode(error);
  if (code && TIMEOUT_CODES.has(code)) {
    return new ProviderError({ ...base, kind: 'timeout', retryable: true }, scrub(`${label} call timed out (${code}): ${describeError(error)}`), error);
  }
  if (code && CLOSED_CODES.has(code)) {
    return new ProviderError({ ...base, kind: 'connection', retryable: false }, scrub(`${label} client was closed: ${describeError(error)}`), error);
  }
  return new ProviderError({ ...base, kind: 'connection', retryable: true }, scrub(`${label} connection failed: ${describeError(error)}`), error);
}

/** An `error` that arrived inside a 200 stream (Anthropic `event: error`, OpenAI `data: {"error":…}`). */
export function classifyStreamError(
  provider: ProviderName,
  payload: unknown,
  headers: Record<string, string>,
  scrub: (text: string) => string,
): ProviderError {
  const body = readErrorBody(JSON.stringify(payload));
  const type = body.type;
  const kind: ProviderErrorKind =
    type === 'overloaded_error' ? 'overloaded' : type === 'rate_limit_error' ? 'rate_limited' : type === 'api_error' || type === 'server_error' ? 'server_error' : 'stream_error';
  const retryable = kind !== 'stream_error' || type === null;
  return new ProviderError(
    {
      provider,
      kind,
      status: 200,
      providerType: type,
      providerCode: body.code,
      retryable,
      retryAfterMs: body.message ? parseRetryAfterMs({}, body.message, 0) : undefined,
      providerWide: kind === 'overloaded',
      headers,
      requestId: headers['x-request-id'] ?? headers['request-id'] ?? null,
      midStream: true,
    },
    scrub(`${PROVIDER_LABEL[provider]} stream failed mid-answer${type ? ` (${type})` : ''}: ${body.message ?? 'no message'}`),
  );
}

export function badResponse(provider: ProviderName, status: number, headers: Record<string, string>, why: string, scrub: (text: string) => string): ProviderError {
  return new ProviderError(
    {
      provider,
      kind: 'bad_response',
      status,
      providerType: null,
      providerCode: null,
      retryable: false,
      retryAfterMs: undefined,
      providerWide: false,
      headers,
      requestId: headers['x-request-id'] ?? headers['request-id'] ?? null,
      midStream: false,
    },
    scrub(`${PROVIDER_LABEL[provider]} answered ${status} with an unexpected body: ${why}`),
  );
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if (current instanceof AggregateError && current.errors.length > 0) current = current.errors[0];
    else current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
