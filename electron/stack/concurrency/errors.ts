import { BulkheadError } from '../errors';

/**
 * The typed failures of the concurrency and rate-limit primitives. Each is a BulkheadError with a
 * stable code, so the dispatcher, the CLI and callers can tell "waited too long" from "cancelled" from
 * "can never succeed" without parsing messages.
 */

/** A wait (permit, tokens, worker slot) exceeded its `timeoutMs`. Nothing was taken. */
export class TimeoutError extends BulkheadError {
  override readonly name = 'TimeoutError';
  constructor(what: string, timeoutMs: number, options: { cause?: unknown } = {}) {
    super('TIMEOUT', `${what} timed out after ${formatMs(timeoutMs)}.`, {
      remedy: 'Raise the timeout, add capacity, or find what holds the resource too long (see long holders).',
      ...options,
    });
  }
}

/** The caller's AbortSignal fired while waiting or running. Nothing is left queued or held. */
export class AbortError extends BulkheadError {
  override readonly name = 'AbortError';
  constructor(what: string, reason?: unknown) {
    super('ABORTED', `${what} was cancelled${describeReason(reason)}.`, { cause: reason });
  }
}

/** A bounded queue is full: the caller is told now instead of the process growing without bound. */
export class QueueFullError extends BulkheadError {
  override readonly name = 'QueueFullError';
  constructor(what: string, maxQueued: number) {
    super('QUEUE_FULL', `${what} has ${maxQueued} waiting already (its limit).`, {
      remedy: 'Shed or delay load upstream, or raise the queue limit if the memory is affordable.',
    });
  }
}

/** Asked for more than the primitive can ever grant (weight > permits, cost > capacity). */
export class CapacityExceededError extends BulkheadError {
  override readonly name = 'CapacityExceededError';
  constructor(what: string, requested: number, capacity: number, unit: string) {
    super('EXCEEDS_CAPACITY', `${what}: asked for ${requested} ${unit} but the capacity is ${capacity}; it could never be granted.`, {
      remedy: `Split the work so each part needs at most ${capacity} ${unit}, or raise the capacity.`,
    });
  }
}

/** The primitive was closed while the caller waited or when it called. */
export class ClosedError extends BulkheadError {
  override readonly name = 'ClosedError';
  constructor(what: string) {
    super('CLOSED', `${what} is closed.`);
  }
}

/**
 * Converts an aborted signal into the error to reject with: AbortSignal.timeout() becomes our
 * TimeoutError, anything else an AbortError carrying the reason.
 */
export function abortErrorFor(what: string, signal: AbortSignal, timeoutMs = 0): BulkheadError {
  const reason: unknown = signal.reason;
  if (reason instanceof BulkheadError) return reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') return new TimeoutError(what, timeoutMs, { cause: reason });
  return new AbortError(what, reason);
}

function describeReason(reason: unknown): string {
  if (reason === undefined) return '';
  if (reason instanceof Error) return reason.name === 'AbortError' && /aborted/i.test(reason.message) ? '' : `: ${reason.message}`;
  return `: ${String(reason)}`;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s` : `${ms} ms`;
}
