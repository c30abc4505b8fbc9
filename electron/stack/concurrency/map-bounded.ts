import { setMaxListeners } from 'node:events';
import { abortErrorFor } from './errors';
import { requirePositiveInteger } from './invalid-argument';

export interface MapBoundedOptions {
  /** Cancels the whole map: nothing new starts and every running `fn` sees its signal abort. */
  signal?: AbortSignal;
  /**
   * false (default): fail fast — the first rejection aborts the others and is thrown once every running
   * call has settled. true: run everything and return each outcome, like Promise.allSettled.
   */
  settle?: boolean;
}

export type MapFn<T, R> = (item: T, index: number, signal: AbortSignal) => R | PromiseLike<R>;

/**
 * The bounded replacement for `Promise.all(items.map(fn))`: at most `limit` calls of `fn` run at once,
 * results come back in input order.
 *
 * Unlike p-limit's map, it never returns while a call it started is still running: on failure or
 * cancellation it aborts the signal it gave each call and waits for them to settle, so no orphaned work
 * keeps a connection or a permit after the caller moved on.
 */
export function mapBounded<T, R>(items: Iterable<T>, limit: number, fn: MapFn<T, R>, options?: MapBoundedOptions & { settle?: false }): Promise<R[]>;
export function mapBounded<T, R>(
  items: Iterable<T>,
  limit: number,
  fn: MapFn<T, R>,
  options: MapBoundedOptions & { settle: true },
): Promise<PromiseSettledResult<R>[]>;
export async function mapBounded<T, R>(
  items: Iterable<T>,
  limit: number,
  fn: MapFn<T, R>,
  options: MapBoundedOptions = {},
): Promise<R[] | PromiseSettledResult<R>[]> {
  requirePositiveInteger('mapBounded: limit', limit);
  const list: readonly T[] = Array.isArray(items) ? items : Array.from(items);
  const outer = options.signal;
  if (outer?.aborted) throw abortErrorFor('mapBounded', outer);
  const count = list.length;
  if (count === 0) return [];

  const controller = new AbortController();
  const inner = controller.signal;
  // Each running call may listen on it; `limit` of them at once is expected, not a leak.
  if (limit > 5) setMaxListeners(limit * 2, inner);
  const forwardAbort = (): void => controller.abort(outer?.reason);
  outer?.addEventListener('abort', forwardAbort, { once: true });

  const settle = options.settle === true;
  const values: R[] = new Array<R>(count);
  const outcomes: PromiseSettledResult<R>[] = settle ? new Array<PromiseSettledResult<R>>(count) : [];
  let nextIndex = 0;
  let firstError: { error: unknown } | null = null;

  const worker = async (): Promise<void> => {
    while (nextIndex < count && !inner.aborted) {
      const index = nextIndex++;
      try {
        const value = await fn(list[index]!, index, inner);
        if (settle) outcomes[index] = { status: 'fulfilled', value };
        else values[index] = value;
      } catch (error) {
        if (settle) {
          outcomes[index] = { status: 'rejected', reason: error };
        } else if (firstError === null) {
          firstError = { error };
          controller.abort(error);
        }
      }
    }
  };

  try {
    const workers = Math.min(limit, count);
    const running: Promise<void>[] = new Array<Promise<void>>(workers);
    for (let i = 0; i < workers; i++) running[i] = worker();
    await Promise.all(running);
  } finally {
    outer?.removeEventListener('abort', forwardAbort);
  }
  // The caller's cancellation wins over the errors it caused inside the running calls.
  if (outer?.aborted) throw abortErrorFor('mapBounded', outer);
  if (firstError !== null) throw (firstError as { error: unknown }).error;
  return settle ? outcomes : values;
}
