import { useEffect, useState } from 'react';
import type { BridgeError, ConcurrencySnapshot } from '../../../shared/contract';
import { primitiveKey } from '../pages/attach/process-filter';
import { useBridge, useEvent } from './bridge-context';
import { toBridgeError } from './to-bridge-error';

/** Per-primitive sparkline points, bounded: a page left open for hours keeps `capacity` points each. */
export class SparkHistory {
  private readonly series = new Map<string, number[][]>();

  constructor(readonly capacity: number) {}

  push(key: string, values: readonly number[]): void {
    let columns = this.series.get(key);
    if (!columns) {
      columns = values.map(() => []);
      this.series.set(key, columns);
    }
    values.forEach((value, index) => {
      const column = columns[index]!;
      column.push(value);
      if (column.length > this.capacity) column.shift();
    });
  }

  get(key: string): readonly (readonly number[])[] {
    return this.series.get(key) ?? [];
  }

  /** Forgets primitives that are no longer registered. */
  retain(keys: ReadonlySet<string>): void {
    for (const key of this.series.keys()) if (!keys.has(key)) this.series.delete(key);
  }
}

export interface ConcurrencyView {
  snapshot: ConcurrencySnapshot | null;
  history: SparkHistory;
  /** Changes with every snapshot, so components that read `history` re-render. */
  version: number;
  /** The first fetch failed (the pushed snapshots that follow clear it). */
  error: BridgeError | null;
}

/**
 * The stack's concurrency primitives, live: the current snapshot (fetched once at mount, then pushed
 * every monitor tick) and a short history per primitive for sparklines — in use and waiting for
 * semaphores, busy and queued for pools, admitted per second and queued for limiters.
 */
export function useConcurrency(points = 240): ConcurrencyView {
  const bridge = useBridge();
  const [snapshot, setSnapshot] = useState<ConcurrencySnapshot | null>(null);
  const [history] = useState(() => new SparkHistory(points));
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<BridgeError | null>(null);

  const add = (next: ConcurrencySnapshot): void => {
    const keys = new Set<string>();
    for (const s of next.semaphores) {
      keys.add(primitiveKey('semaphore', s));
      history.push(primitiveKey('semaphore', s), [s.inUse, s.waiting]);
    }
    for (const p of next.workerPools) {
      keys.add(primitiveKey('pool', p));
      history.push(primitiveKey('pool', p), [p.busy, p.queued]);
    }
    for (const l of next.limiters) {
      keys.add(primitiveKey('limiter', l));
      history.push(primitiveKey('limiter', l), [l.admittedPerSec, l.queued]);
    }
    history.retain(keys);
    setSnapshot(next);
    setVersion((v) => v + 1);
  };

  useEffect(() => {
    let live = true;
    bridge.call('concurrency.snapshot', {}).then(
      // Only if no pushed snapshot arrived meanwhile: history must stay in time order.
      (first) => live && setSnapshot((current) => current ?? first),
      (thrown: unknown) => live && setError(toBridgeError(thrown)),
    );
    return () => {
      live = false;
    };
  }, [bridge]);

  useEvent('concurrency.snapshot', (next) => {
    setError(null);
    add(next);
  });
  return { snapshot, history, version, error };
}
