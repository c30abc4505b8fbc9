import { AbortError, TimeoutError } from '../errors';

/**
 * How a finished call teaches an adaptive limit:
 * - `success`: its latency is a sample of the downstream's service time;
 * - `dropped`: the downstream pushed back (429, 503/529 overload, a timeout) — the limit backs off;
 * - `ignore`: it says nothing about capacity (cancelled by the caller, a bad request) — no sample.
 */
export type CallOutcome = 'success' | 'dropped' | 'ignore';

/** HTTP statuses that mean "too much load": rate limited, timeout, unavailable/overloaded. */
const OVERLOAD_STATUSES = new Set([408, 429, 503, 504, 529]);
/** Error kinds (as the provider client classifies them) that mean the same. */
const OVERLOAD_KINDS = new Set(['rate_limited', 'overloaded', 'timeout']);

/**
 * The default reading of an error thrown inside withPermit. It reads `status` and `kind` by shape, so the
 * concurrency layer needs no import of the provider client; callers with other errors pass their own.
 */
export function classifyCallError(error: unknown): CallOutcome {
  if (error instanceof TimeoutError) return 'dropped';
  if (error instanceof AbortError) return 'ignore';
  if (typeof error !== 'object' || error === null) return 'ignore';
  const { status, kind } = error as { status?: unknown; kind?: unknown };
  if (typeof status === 'number' && OVERLOAD_STATUSES.has(status)) return 'dropped';
  if (typeof kind === 'string' && OVERLOAD_KINDS.has(kind)) return 'dropped';
  return 'ignore';
}
