import { formatGoDuration } from '../go-duration';
import type { OpenAILimits, SimulatorSettings } from './sim-config';
import { SimBucket } from './sim-bucket';
import { openAIError, type OpenAIErrorBody } from './openai-wire';

/** A request's admission: headers to send either way, and a 429 body when it is refused. */
export type OpenAIAdmission =
  | { readonly ok: true; readonly headers: Record<string, string> }
  | { readonly ok: false; readonly headers: Record<string, string>; readonly body: OpenAIErrorBody; readonly reason: 'requests' | 'tokens' | 'too-large' | 'quota' };

export interface OpenAIBucketSnapshot {
  requests: { limit: number; remaining: number; resetMs: number };
  tokens: { limit: number; remaining: number; resetMs: number };
}

const ORG = 'org-bulkhead-sim';
const VISIT = 'Visit https://platform.openai.com/account/rate-limits to learn more.';

/**
 * OpenAI's limits as docs/provider-behaviour.md describes them: an RPM and a TPM bucket; each request is charged up
 * front at max(max_tokens × n, char-based prompt estimate); requests refused with 429 still take one
 * from the request bucket; a request larger than the whole TPM is "Request too large".
 */
export class OpenAILimitModel {
  private readonly requests: SimBucket;
  private readonly tokens: SimBucket;

  constructor(
    limits: OpenAILimits,
    now: number,
    private readonly behaviour: () => SimulatorSettings['behaviour'],
  ) {
    this.requests = new SimBucket(limits.rpm, now);
    this.tokens = new SimBucket(limits.tpm, now);
  }

  setLimits(limits: OpenAILimits, now: number): void {
    if (limits.rpm !== this.requests.limit) this.requests.setLimit(limits.rpm, now);
    if (limits.tpm !== this.tokens.limit) this.tokens.setLimit(limits.tpm, now);
  }

  reset(now: number): void {
    this.requests.reset(now);
    this.tokens.reset(now);
  }

  admit(model: string, charge: number, now: number): OpenAIAdmission {
    const behaviour = this.behaviour();
    if (behaviour.quotaExhausted) {
      return this.refuse('quota', now, undefined, openAIError(
        'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
        'insufficient_quota', null, 'insufficient_quota'));
    }
    const rpm = this.requests.limit;
    const tpm = this.tokens.limit;
    if (tpm > 0 && charge > tpm) {
      this.countRefused(now);
      return this.refuse('too-large', now, undefined, openAIError(
        `Request too large for ${model} in organization ${ORG} on tokens per min (TPM): Limit ${tpm}, Requested ${charge}. The input or output tokens must be reduced in order to run successfully. ${VISIT}`,
        'tokens', null, 'rate_limit_exceeded'));
    }
    if (rpm > 0 && this.requests.level(now) < 1) {
      // The refused request itself counts, so the wait is computed after taking it: a retry at exactly
      // the announced time then succeeds.
      this.countRefused(now);
      const waitMs = this.requests.msUntil(1, now);
      const used = rpm - this.requests.remaining(now);
      return this.refuse('requests', now, waitMs, openAIError(
        `Rate limit reached for ${model} in organization ${ORG} on requests per min (RPM): Limit ${rpm}, Used ${used}, Requested 1. Please try again in ${formatGoDuration(waitMs)}. ${VISIT}`,
        'requests', null, 'rate_limit_exceeded'));
    }
    if (tpm > 0 && this.tokens.level(now) < charge) {
      // The refused request itself counts, so the wait is computed after taking it: a retry at exactly
      // the announced time then succeeds.
      this.countRefused(now);
      const waitMs = this.tokens.msUntil(charge, now);
      const used = tpm - this.tokens.remaining(now);
      return this.refuse('tokens', now, waitMs, openAIError(
        `Rate limit reached for ${model} in organization ${ORG} on tokens per min (TPM): Limit ${tpm}, Used ${used}, Requested ${charge}. Please try again in ${formatGoDuration(waitMs)}. ${VISIT}`,
        'tokens', null, 'rate_limit_exceeded'));
    }
    if (rpm > 0) this.requests.debit(1, now);
    if (tpm > 0) this.tokens.debit(charge, now);
    return { ok: true, headers: this.headers(now) };
  }

  /** The x-ratelimit-* headers as OpenAI sends them (empty when headers are switched off). */
  headers(now: number): Record<string, string> {
    if (!this.behaviour().rateLimitHeaders) return {};
    const headers: Record<string, string> = {};
    if (this.requests.limit > 0) {
      headers['x-ratelimit-limit-requests'] = String(this.requests.limit);
      headers['x-ratelimit-remaining-requests'] = String(this.requests.remaining(now));
      headers['x-ratelimit-reset-requests'] = formatGoDuration(this.requests.msUntilFull(now));
    }
    if (this.tokens.limit > 0) {
      headers['x-ratelimit-limit-tokens'] = String(this.tokens.limit);
      headers['x-ratelimit-remaining-tokens'] = String(this.tokens.remaining(now));
      headers['x-ratelimit-reset-tokens'] = formatGoDuration(this.tokens.msUntilFull(now));
    }
    return headers;
  }

  snapshot(now: number): OpenAIBucketSnapshot {
    return {
      requests: { limit: this.requests.limit, remaining: this.requests.remaining(now), resetMs: Math.ceil(this.requests.msUntilFull(now)) },
      tokens: { limit: this.tokens.limit, remaining: this.tokens.remaining(now), resetMs: Math.ceil(this.tokens.msUntilFull(now)) },
    };
  }

  private countRefused(now: number): void {
    if (this.behaviour().rejectedRequestsCount && this.requests.limit > 0) this.requests.debit(1, now);
  }

  private refuse(reason: 'requests' | 'tokens' | 'too-large' | 'quota', now: number, waitMs: number | undefined, body: OpenAIErrorBody): OpenAIAdmission {
    const headers = this.headers(now);
    if (waitMs !== undefined && Number.isFinite(waitMs) && this.behaviour().retryAfterHeaders) {
      headers['retry-after-ms'] = String(Math.ceil(waitMs));
      headers['retry-after'] = String(Math.max(1, Math.ceil(waitMs / 1000)));
    }
    return { ok: false, headers, body, reason };
  }
}
