import { useEffect, useRef, type RefObject } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

import type { ChartSeries } from '../../../shared/run-charts';

export type { ChartSeries };

export const AXIS = { stroke: '#8b93a7', grid: { stroke: '#252a36', width: 1 }, ticks: { stroke: '#252a36', width: 1 } };

/** One uPlot line series from our series description. */
export function lineSeries(s: ChartSeries): uPlot.Series {
  return {
    label: s.label,
    stroke: s.color,
    width: s.width ?? 1.6,
    spanGaps: false,
    ...(s.fill ? { fill: `${s.color}22` } : {}),
    ...(s.dash ? { dash: s.dash } : {}),
    points: { show: false },
  };
}

/** y axis tick: 1.2k, 35, 4.5, 0.25. */
export function formatTick(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1000) return `${(value / 1000).toFixed(abs >= 10_000 ? 0 : 1)}k`;
  if (abs >= 10 || value === 0) return value.toFixed(0);
  return value.toFixed(abs >= 1 ? 1 : 2);
}

/**
 * A uPlot chart's lifecycle inside a component: created once per height (the options are fixed per chart
 * instance), sized to its container and resized with it, fed new data without being re-created whenever
 * `version` changes, destroyed on unmount. Returns the ref for the host element.
 */
export function useUPlot(
  makeOptions: (width: number) => uPlot.Options,
  data: ReadonlyArray<ReadonlyArray<number | null>>,
  version: number,
  height: number,
): RefObject<HTMLDivElement | null> {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const chart = new uPlot(makeOptions(Math.max(200, element.clientWidth)), data as uPlot.AlignedData, element);
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(200, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // options are fixed per chart instance; only a new height re-creates it
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [height]);

  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data, version]);

  return host;
}
