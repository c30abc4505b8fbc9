import type { ServerBucket } from './server-bucket';

/**
 * The rate-limit headers of the test limit server, in each provider's documented shape
 * (docs/provider-rate-limit-headers.md): the limit is the nominal per-minute figure, `remaining` what the
 * bucket holds now, and the reset the time until it is full again — a Go duration for OpenAI, an RFC 3339
 * instant (whole seconds, rounded up) for Anthropic, whose token `remaining` is rounded to the nearest
 * thousand. Written here rather than borrowed from the simulator so the tests stay independent of it.
 */
export function openAiHeaders(requests: ServerBucket, tokens: ServerBucket): Record<string, string> {
  return {
    'x-ratelimit-limit-requests': String(requests.limitPerMinute),
    'x-ratelimit-remaining-requests': String(Math.max(0, Math.floor(requests.available()))),
    'x-ratelimit-reset-requests': goDuration(requests.msUntilFull()),
    'x-ratelimit-limit-tokens': String(tokens.limitPerMinute),
    'x-ratelimit-remaining-tokens': String(Math.max(0, Math.floor(tokens.available()))),
    'x-ratelimit-reset-tokens': goDuration(tokens.msUntilFull()),
  };
}

export function anthropicHeaders(buckets: { requests: ServerBucket; input: ServerBucket; output: ServerBucket }, now: number): Record<string, string> {
  const headers: Record<string, string> = {};
  const put = (prefix: string, bucket: ServerBucket, roundToThousand: boolean): void => {
    const left = Math.max(0, Math.floor(bucket.available()));
    headers[`anthropic-ratelimit-${prefix}-limit`] = String(bucket.limitPerMinute);
    headers[`anthropic-ratelimit-${prefix}-remaining`] = String(roundToThousand ? Math.round(left / 1000) * 1000 : left);
    headers[`anthropic-ratelimit-${prefix}-reset`] = rfc3339Seconds(now + bucket.msUntilFull());
  };
  put('requests', buckets.requests, false);
  put('input-tokens', buckets.input, true);
  put('output-tokens', buckets.output, true);
  // `-tokens-` is whichever token limit is the most restrictive right now.
  const tighter = buckets.input.available() / buckets.input.capacity <= buckets.output.available() / buckets.output.capacity ? buckets.input : buckets.output;
  put('tokens', tighter, true);
  return headers;
}

/** Go's Duration text: `20ms`, `1.5s`, `6m0s`, `1h2m3.4s`. */
export function goDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = ((total % 60_000) / 1000).toFixed(3).replace(/\.?0+$/, '');
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

/** An RFC 3339 instant in whole seconds, rounded up (the bucket is surely full by then). */
export function rfc3339Seconds(epochMs: number): string {
  return new Date(Math.ceil(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
