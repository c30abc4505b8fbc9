import { AccelerationGuard } from './acceleration';
import { ANTHROPIC_MESSAGES, anthropicError, type AnthropicErrorBody } from './anthropic-wire';
import type { AnthropicLimits, SimulatorSettings } from './sim-config';
import { SimBucket } from './sim-bucket';

export type AnthropicAdmission =
  | {
      readonly ok: true;
      readonly headers: Record<string, string>;
      /** Settles output tokens once the answer is generated (refund or debit, per otpmMode). */
      readonly settle: (outputTokens: number, now: number) => void;
    }
  | {
      readonly ok: false;
      readonly headers: Record<string, string>;
      readonly body: AnthropicErrorBody;
      readonly reason: 'requests' | 'input-tokens' | 'output-tokens' | 'acceleration' | 'spend-limit';
    };

interface BucketView {
  limit: number;
  remaining: number;
  resetMs: number;
}
export interface AnthropicBucketSnapshot {
  requests: BucketView;
  inputTokens: BucketView;
  outputTokens: BucketView;
}

const CONTACT =
  'For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase.';

/**
 * Anthropic's limits as docs/provider-behaviour.md describes them: continuously refilled RPM, ITPM and OTPM buckets; ITPM counts
 * input_tokens + cache_creation_input_tokens (cache reads are free); OTPM either reserves max_tokens up
 * front and refunds the unused part at the end, or counts generated tokens (a setting: it changes).
 * Headers give RFC 3339 reset times and token remaining values rounded to the nearest thousand.
 */
export class AnthropicLimitModel {
  private readonly requests: SimBucket;
  private readonly input: SimBucket;
  private readonly output: SimBucket;
  private readonly acceleration = new AccelerationGuard();

  constructor(
    private limits: AnthropicLimits,
    now: number,
    private readonly behaviour: () => SimulatorSettings['behaviour'],
  ) {
    this.requests = new SimBucket(limits.rpm, now);
    this.input = new SimBucket(limits.itpm, now);
    this.output = new SimBucket(limits.otpm, now);
  }

  setLimits(limits: AnthropicLimits, now: number): void {
    this.limits = limits;
    if (limits.rpm !== this.requests.limit) this.requests.setLimit(limits.rpm, now);
    if (limits.itpm !== this.input.limit) this.input.setLimit(limits.itpm, now);
    if (limits.otpm !== this.output.limit) this.output.setLimit(limits.otpm, now);
  }

  reset(now: number): void {
    this.requests.reset(now);
    this.input.reset(now);
    this.output.reset(now);
  }

  /** `inputCharge` = input_tokens + cache_creation_input_tokens of this request. */
  admit(inputCharge: number, maxTokens: number, now: number, requestId: string): AnthropicAdmission {
    const { rpm, itpm, otpm, otpmMode, acceleration } = this.limits;
    if (this.behaviour().quotaExhausted) {
      const body = anthropicError('rate_limit_error', ANTHROPIC_MESSAGES.spendLimit, requestId, { error_code: 'enforced_spend_limit_reached' });
      return { ok: false, headers: this.headers(now), body, reason: 'spend-limit' };
    }
    if (acceleration && !this.acceleration.admit(acceleration, now)) {
      this.countRefused(now);
      const message = `This request would exceed your organization's rate limit because usage increased sharply. Please ramp up your request rate gradually. ${CONTACT}`;
      return this.refuse('acceleration', now, 1000 - (now % 1000), message, requestId);
    }
    if (rpm > 0 && this.requests.level(now) < 1) {
      this.countRefused(now);
      return this.refuse('requests', now, this.requests.msUntil(1, now), `This request would exceed the rate limit for your organization of ${rpm} requests per minute. ${CONTACT}`, requestId);
    }
    if (itpm > 0 && this.input.level(now) < inputCharge) {
      this.countRefused(now);
      const wait = Math.min(this.input.msUntil(inputCharge, now), this.input.msUntilFull(now));
      return this.refuse('input-tokens', now, wait, `This request would exceed the rate limit for your organization of ${itpm.toLocaleString('en-US')} input tokens per minute. ${CONTACT}`, requestId);
    }
    const outputNeed = otpmMode === 'reserve-max-tokens' ? maxTokens : 1;
    if (otpm > 0 && this.output.level(now) < outputNeed) {
      this.countRefused(now);
      const wait = Math.min(this.output.msUntil(outputNeed, now), this.output.msUntilFull(now));
      return this.refuse('output-tokens', now, wait, `This request would exceed the rate limit for your organization of ${otpm.toLocaleString('en-US')} output tokens per minute. ${CONTACT}`, requestId);
    }
    if (rpm > 0) this.requests.debit(1, now);
    if (itpm > 0) this.input.debit(inputCharge, now);
    const reserved = otpm > 0 && otpmMode === 'reserve-max-tokens' ? maxTokens : 0;
    if (reserved > 0) this.output.debit(reserved, now);
    const settle = (outputTokens: number, at: number): void => {
      if (otpm <= 0) return;
      if (reserved > 0) this.output.credit(Math.max(0, reserved - outputTokens), at);
      else this.output.debit(outputTokens, at);
    };
    return { ok: true, headers: this.headers(now), settle };
  }

  headers(now: number): Record<string, string> {
    if (!this.behaviour().rateLimitHeaders) return {};
    const headers: Record<string, string> = {};
    const put = (name: string, bucket: SimBucket, roundThousands: boolean): void => {
      if (bucket.limit <= 0) return;
      const remaining = bucket.remaining(now);
      headers[`anthropic-ratelimit-${name}-limit`] = String(bucket.limit);
      headers[`anthropic-ratelimit-${name}-remaining`] = String(roundThousands ? Math.round(remaining / 1000) * 1000 : remaining);
      headers[`anthropic-ratelimit-${name}-reset`] = rfc3339(now + bucket.msUntilFull(now));
    };
    put('requests', this.requests, false);
    put('input-tokens', this.input, true);
    put('output-tokens', this.output, true);
    // `-tokens-` shows whichever token limit is most restrictive right now (least remaining, relatively).
    const tightest = this.tightestTokenBucket(now);
    if (tightest) put('tokens', tightest, true);
    return headers;
  }

  snapshot(now: number): AnthropicBucketSnapshot {
    const view = (bucket: SimBucket): BucketView => ({ limit: bucket.limit, remaining: bucket.remaining(now), resetMs: Math.ceil(bucket.msUntilFull(now)) });
    return { requests: view(this.requests), inputTokens: view(this.input), outputTokens: view(this.output) };
  }

  private tightestTokenBucket(now: number): SimBucket | undefined {
    const candidates = [this.input, this.output].filter((bucket) => bucket.limit > 0);
    let best: SimBucket | undefined;
    let bestShare = Number.POSITIVE_INFINITY;
    for (const bucket of candidates) {
      const share = bucket.remaining(now) / bucket.limit;
      if (share < bestShare) {
        best = bucket;
        bestShare = share;
      }
    }
    return best;
  }

  private countRefused(now: number): void {
    if (this.behaviour().rejectedRequestsCount && this.requests.limit > 0) this.requests.debit(1, now);
  }

  private refuse(reason: Exclude<AnthropicAdmission, { ok: true }>['reason'], now: number, waitMs: number, message: string, requestId: string): AnthropicAdmission {
    const headers = this.headers(now);
    if (this.behaviour().retryAfterHeaders && Number.isFinite(waitMs)) headers['retry-after'] = String(Math.max(1, Math.ceil(waitMs / 1000)));
    return { ok: false, headers, body: anthropicError('rate_limit_error', message, requestId), reason };
  }
}

/** RFC 3339 in UTC at whole seconds (rounded up), as Anthropic writes its reset headers. */
export function rfc3339(epochMs: number): string {
  return new Date(Math.ceil(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
