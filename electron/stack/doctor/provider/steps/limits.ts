import { formatGoDuration } from '../../../providers/go-duration';
import { parseRateLimitHeaders, type RateLimitWindow } from '../../../providers/rate-limit-headers';
import { parseRetryAfterMs } from '../../../providers/retry-after';
import { pass, skip, warn } from '../../doctor-step';
import type { ProviderStepDefinition } from '../provider-doctor-context';

/**
 * Step 10: what the rate-limit headers of the answer say — OpenAI's RPM/TPM, Anthropic's request, token,
 * input- and output-token buckets — with what remains and when each bucket is full again.
 */
export const limitsStep: ProviderStepDefinition = {
  id: 'limits',
  title: 'Rate limits',
  deadlineMs: 1_000,
  async run(context) {
    const response = context.response;
    if (!response) return skip('no answer to read');
    const { provider, clock } = context.input;
    const now = clock.now();
    const parsed = parseRateLimitHeaders(provider, response.headers, now);
    const retryAfter = parseRetryAfterMs(response.headers, undefined, now);
    if (!parsed) {
      const where = provider === 'openai' ? 'OpenAI sends x-ratelimit-* headers with model calls (chat completions)' : 'Anthropic sends anthropic-ratelimit-* headers with message calls';
      return skip(`the models list carried no rate-limit headers; ${where} — the Limiters page shows them live during a run`);
    }
    const windows: [string, RateLimitWindow | null][] = [
      ['requests', parsed.requests],
      [provider === 'openai' ? 'tokens' : 'tokens (most restrictive)', parsed.tokens],
      ['input tokens', parsed.inputTokens],
      ['output tokens', parsed.outputTokens],
    ];
    const lines = windows.filter((entry): entry is [string, RateLimitWindow] => entry[1] !== null).map(([name, window]) => describe(name, window));
    if (retryAfter !== undefined) lines.push(`retry-after: ${formatGoDuration(retryAfter)}`);
    const empty = windows.filter(([, window]) => window?.remaining === 0).map(([name]) => name);
    const summary = summarise(parsed.requests, parsed.tokens);
    if (empty.length > 0) {
      return warn(`${summary}; none left for ${empty.join(', ')}`, 'Calls are refused (429) until the bucket refills (see "full again in"); a stress run started now begins with 429s.', 'limit_exhausted', lines);
    }
    return pass(summary, lines);
  },
};

function describe(name: string, window: RateLimitWindow): string {
  const limit = window.limit === null ? '?' : window.limit.toLocaleString('en-US');
  const remaining = window.remaining === null ? '?' : window.remaining.toLocaleString('en-US');
  const reset = window.msUntilFull === null ? '' : `, full again in ${formatGoDuration(window.msUntilFull)}`;
  return `${name}: ${remaining} of ${limit} left${reset}`;
}

function summarise(requests: RateLimitWindow | null, tokens: RateLimitWindow | null): string {
  const parts: string[] = [];
  if (requests?.limit != null) parts.push(`${requests.limit.toLocaleString('en-US')} requests/min`);
  if (tokens?.limit != null) parts.push(`${tokens.limit.toLocaleString('en-US')} tokens/min`);
  return parts.length > 0 ? parts.join(', ') : 'rate-limit headers present';
}
