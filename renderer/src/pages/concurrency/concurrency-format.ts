/** Formatting shared by the Semaphores and Limiters pages. */
export function formatMs(ms: number): string {
  if (ms === 0) return '0';
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${ms.toFixed(0)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatRate(perSec: number): string {
  if (perSec === 0) return '0';
  if (perSec < 10) return perSec.toFixed(1);
  if (perSec < 10_000) return perSec.toFixed(0);
  return `${(perSec / 1000).toFixed(0)}k`;
}

export function formatCount(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1_000_000) return `${(value / 1_000_000).toFixed(1)}M`;
  if (abs >= 10_000) return `${(value / 1000).toFixed(1)}k`;
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** "in 2.4 s" / "now" for a time ahead of `now`. */
export function formatUntil(at: number | null, now: number): string {
  if (at === null) return '—';
  const ms = at - now;
  return ms <= 0 ? 'now' : `in ${formatMs(ms)}`;
}
