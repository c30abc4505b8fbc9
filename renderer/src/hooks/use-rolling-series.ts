import { useCallback, useState } from 'react';

/**
 * A bounded, column-oriented time series for charts: at most `capacity` points are kept, whatever
 * the run length, so a chart open for hours uses the same memory as one open for a minute.
 */
export class RollingSeries {
  readonly columns: number[][];

  constructor(readonly capacity: number, seriesCount: number) {
    this.columns = Array.from({ length: seriesCount + 1 }, () => []);
  }

  push(tSeconds: number, values: readonly number[]): void {
    this.columns[0]!.push(tSeconds);
    values.forEach((value, index) => this.columns[index + 1]!.push(value));
    if (this.columns[0]!.length > this.capacity) for (const column of this.columns) column.shift();
  }

  get length(): number {
    return this.columns[0]!.length;
  }
}

/** A RollingSeries plus a version number that changes on every push, to re-render charts. */
export function useRollingSeries(capacity: number, seriesCount: number) {
  // A mutable object that lives as long as the component; `version` tells React it changed.
  const [series] = useState(() => new RollingSeries(capacity, seriesCount));
  const [version, setVersion] = useState(0);
  const push = useCallback(
    (tMs: number, values: readonly number[]) => {
      series.push(tMs / 1000, values);
      setVersion((v) => v + 1);
    },
    [series],
  );
  return { series, version, push };
}
