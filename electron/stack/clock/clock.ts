/**
 * Time as a dependency. Anything with timing logic takes a Clock so tests can drive time by hand
 * (see ManualClock) instead of sleeping.
 */
export interface Clock {
  /** Epoch milliseconds, possibly fractional. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface TimerHandle {
  /** Lets the process exit while the timer is pending (no-op for manual clocks). */
  unref?(): void;
}

export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Resolves after `ms` on the given clock, or rejects with the signal's reason when aborted. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(signal?.reason);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * An AbortSignal that aborts after `ms` on the given clock, with the timer held open until it fires
 * or `clear()` is called. Unlike AbortSignal.timeout() — whose timer is unref'd — a wait on it keeps
 * the process alive: a CLI waiting for a database cannot have its event loop run empty under it.
 */
export function deadlineSignal(clock: Clock, ms: number, reason: () => unknown = () => new DOMException(`timed out after ${ms} ms`, 'TimeoutError')): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const handle = clock.setTimeout(() => controller.abort(reason()), ms);
  return { signal: controller.signal, clear: () => clock.clearTimeout(handle) };
}
