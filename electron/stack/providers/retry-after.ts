import { parseGoDuration } from './go-duration';

/**
 * How long the provider asked us to wait, from the three places it can say so (docs/provider-behaviour.md), in order:
 * `retry-after-ms` (milliseconds), `retry-after` (seconds, or an HTTP date), then the error message's
 * "try again in 9.816s" / "try again in 120ms" / "try again in 1m30s". Undefined when none says.
 */
export function parseRetryAfterMs(headers: Readonly<Record<string, string>>, message: string | undefined, now: number): number | undefined {
  const ms = headers['retry-after-ms'];
  if (ms !== undefined) {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = headers['retry-after'];
  if (after !== undefined) {
    const seconds = Number(after);
    if (after.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(after);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  return message === undefined ? undefined : retryAfterFromMessage(message);
}

const TRY_AGAIN = /try again in\s+((?:\d+(?:\.\d+)?(?:h|ms|m|s|us|µs|ns))+)/i;
const TRY_AGAIN_WORDS = /try again in\s+(\d+(?:\.\d+)?)\s*(seconds?|secs?|milliseconds?|minutes?)/i;

/** The wait an OpenAI-style message states, e.g. "Please try again in 9.816s." → 9816. */
export function retryAfterFromMessage(message: string): number | undefined {
  const go = TRY_AGAIN.exec(message);
  if (go?.[1]) return parseGoDuration(go[1]);
  const words = TRY_AGAIN_WORDS.exec(message);
  if (words?.[1] && words[2]) {
    const value = Number(words[1]);
    const unit = words[2].toLowerCase();
    if (unit.startsWith('milli')) return value;
    if (unit.startsWith('min')) return value * 60_000;
    return value * 1000;
  }
  return undefined;
}
