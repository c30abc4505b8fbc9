import { useCallback, useState } from 'react';
import type { RunSample } from '../../../../shared/contract';
import { RUN_CHARTS } from '../../../../shared/run-charts';

/**
 * Bounded column storage for run charts: x = seconds into the run, then one column per series; at most
 * `capacity` points (the oldest go first), so a chart watching a 30-minute run holds the same memory as
 * one watching a minute.
 */
export class BoundedColumns {
  readonly columns: (number | null)[][];

  constructor(
    readonly capacity: number,
    seriesCount: number,
  ) {
    this.columns = Array.from({ length: seriesCount + 1 }, () => []);
  }

  push(x: number, values: readonly (number | null)[]): void {
    this.columns[0]!.push(x);
    values.forEach((value, index) => this.columns[index + 1]!.push(value));
    if (this.columns[0]!.length > this.capacity) for (const column of this.columns) column.shift();
  }

  clear(): void {
    for (const column of this.columns) column.length = 0;
  }
}

export { RUN_CHARTS, type RunChartSpec } from '../../../../shared/run-charts';

/** One hour at a sample per second. */
export const LIVE_CAPACITY = 3_600;

/** Bounded series for every run chart, fed one sample at a time; `version` changes on each push. */
export function useRunSeries(capacity = LIVE_CAPACITY) {
  const [store] = useState(() => new Map(RUN_CHARTS.map((chart) => [chart.id, new BoundedColumns(capacity, chart.series.length)])));
  const [version, setVersion] = useState(0);
  const push = useCallback(
    (samples: readonly RunSample[]) => {
      if (samples.length === 0) return;
      for (const sample of samples) for (const chart of RUN_CHARTS) store.get(chart.id)!.push(sample.second, chart.values(sample));
      setVersion((v) => v + 1);
    },
    [store],
  );
  const reset = useCallback(() => {
    for (const columns of store.values()) columns.clear();
    setVersion((v) => v + 1);
  }, [store]);
  return { store, version, push, reset };
}
