import { BulkheadError } from '../errors';
import type { ProviderName } from './provider-types';

export type ProviderErrorKind =
  | 'rate_limited' // 429: your quota's rate limit; retry after the wait
  | 'quota_exhausted' // insufficient_quota / enforced_spend_limit_reached: out of credits
  | 'request_too_large' // larger than the whole limit (or 413): shrink it, never retry
  | 'overloaded' // 529 overloaded_error: the provider as a whole, not your quota
  | 'server_error' // 5xx
  | 'conflict' // 409
  | 'timeout' // 408, or our headers/body/connect timeout
  | 'connection' // reset, refused, closed mid-response, DNS
  | 'auth' // 401/403
  | 'invalid_request' // other 4xx
  | 'stream_error' // an error event inside a 200 stream that maps to none of the above
  | 'bad_response' // a body we could not understand
  | 'aborted'; // the caller's signal

const REMEDIES: Record<ProviderErrorKind, string> = {
  rate_limited: 'Lower the request rate or let the provider limiter pace calls; the retry loop waits for retry-after.',
  quota_exhausted: 'Add credits or raise the spend limit with the provider; retrying does not help.',
  request_too_large: 'Shorten the prompt or lower max_tokens: the request is larger than the whole per-minute limit.',
  overloaded: 'The provider is overloaded for everyone; back off and retry later, or switch to a fallback model.',
  server_error: 'A provider-side failure; it is retried with backoff.',
  conflict: 'A transient conflict at the provider; it is retried.',
  timeout: 'The provider did not answer in time; raise the timeout or check the network path.',
  connection: 'Check the base URL, the network and any proxy; connection failures are retried.',
  auth: 'Check the API key (OPENAI_API_KEY / ANTHROPIC_API_KEY or the saved key).',
  invalid_request: 'Fix the request (model name, parameters); it will fail the same way if retried.',
  stream_error: 'The stream was cut by the provider; the call can be retried.',
  bad_response: 'The endpoint answered with something that is not the provider API; check the base URL.',
  aborted: 'The call was cancelled.',
};

export interface ProviderErrorDetails {
  provider: ProviderName;
  kind: ProviderErrorKind;
  /** HTTP status; 200 for errors inside a stream; null when no response arrived. */
  status: number | null;
  /** The provider's own error type (`tokens`, `rate_limit_error`, `overloaded_error`, …). */
  providerType: string | null;
  /** OpenAI's `code` or Anthropic's `details.error_code`. */
  providerCode: string | null;
  retryable: boolean;
  /** The wait the provider asked for, if it said. */
  retryAfterMs: number | undefined;
  /** 529-style overload of the whole provider (so limiters should not shrink your own quota for it). */
  providerWide: boolean;
  /** Response headers (rate-limit headers still help the limiter after an error). */
  headers: Record<string, string>;
  requestId: string | null;
  /** The error arrived inside a 200 stream, after some text. */
  midStream: boolean;
}

/**
 * A failed provider call, classified once so the limiter and the retry loop never parse bodies again.
 * The message is already scrubbed of API keys and other secrets.
 */
export class ProviderError extends BulkheadError implements ProviderErrorDetails {
  readonly provider: ProviderName;
  readonly kind: ProviderErrorKind;
  readonly status: number | null;
  readonly providerType: string | null;
  readonly providerCode: string | null;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly providerWide: boolean;
  readonly headers: Record<string, string>;
  readonly requestId: string | null;
  readonly midStream: boolean;

  constructor(details: ProviderErrorDetails, message: string, cause?: unknown) {
    super(`provider.${details.kind}`, message, { remedy: REMEDIES[details.kind], cause });
    this.name = 'ProviderError';
    this.provider = details.provider;
    this.kind = details.kind;
    this.status = details.status;
    this.providerType = details.providerType;
    this.providerCode = details.providerCode;
    this.retryable = details.retryable;
    this.retryAfterMs = details.retryAfterMs;
    this.providerWide = details.providerWide;
    this.headers = details.headers;
    this.requestId = details.requestId;
    this.midStream = details.midStream;
  }

  /** Plain data for snapshots, run records and the UI. */
  toJSON(): ProviderErrorDetails & { code: string; message: string } {
    return {
      code: this.code,
      message: this.message,
      provider: this.provider,
      kind: this.kind,
      status: this.status,
      providerType: this.providerType,
      providerCode: this.providerCode,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      providerWide: this.providerWide,
      headers: this.headers,
      requestId: this.requestId,
      midStream: this.midStream,
    };
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}
