/**
 * Go `time.Duration` strings, the format OpenAI uses for `x-ratelimit-reset-*` and inside 429 messages
 * ("Please try again in 9.816s"): `12ms`, `1s`, `6m0s`, `4m12.172s`, `23h18m29.144s`.
 */

/** Formats milliseconds (rounded to whole ms, negatives clamp to 0) the way Go prints a Duration. */
export function formatGoDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const millis = total % 60_000;
  const wholeSeconds = Math.floor(millis / 1000);
  const fraction = millis % 1000;
  // Go trims trailing zeros of the fraction and prints units from the largest non-zero one down.
  const seconds = fraction === 0 ? `${wholeSeconds}` : `${wholeSeconds}.${String(fraction).padStart(3, '0').replace(/0+$/, '')}`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, 'µs': 0.001, 'μs': 0.001, ns: 0.000001 };
const WHOLE = /^(?:\d+(?:\.\d*)?|\.\d+)(?:h|ms|m|s|us|µs|μs|ns)(?:(?:\d+(?:\.\d*)?|\.\d+)(?:h|ms|m|s|us|µs|μs|ns))*$/;
const PART = /(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|μs|ns)/g;

/** Parses a Go duration string into milliseconds; undefined when it is not one ("0" alone is 0). */
export function parseGoDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  if (!WHOLE.test(trimmed)) return undefined;
  let ms = 0;
  for (const match of trimmed.matchAll(PART)) {
    ms += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? 0);
  }
  return ms;
}
