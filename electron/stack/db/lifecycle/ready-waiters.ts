/**
 * Callers of `whenReady` while the database is on its way: each is settled exactly once — when it is
 * ready, when it never will be, or when the caller's signal aborts (which also forgets the waiter, so
 * an abandoned wait leaves no listener behind).
 */
export class ReadyWaiters<T> {
  private readonly waiters = new Set<{ resolve(value: T): void; reject(error: unknown): void }>();

  get size(): number {
    return this.waiters.size;
  }

  wait(signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        this.waiters.delete(waiter);
        reject(signal?.reason);
      };
      const waiter = {
        resolve: (value: T) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value);
        },
        reject: (error: unknown) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      this.waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  resolveAll(value: T): void {
    for (const waiter of this.drain()) waiter.resolve(value);
  }

  rejectAll(error: unknown): void {
    for (const waiter of this.drain()) waiter.reject(error);
  }

  private drain() {
    const waiters = [...this.waiters];
    this.waiters.clear();
    return waiters;
  }
}
