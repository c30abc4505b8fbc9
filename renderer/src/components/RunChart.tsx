import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartSeries } from './TimeSeriesChart';

interface Props {
  title: string;
  unit: string;
  series: readonly ChartSeries[];
  /** Column data: [seconds into the run, ...one column per series]; null = no value at that second. */
  columns: ReadonlyArray<ReadonlyArray<number | null>>;
  /** Changes whenever `columns` changed; the chart redraws without re-creating uPlot. */
  version: number;
  height?: number;
  testId?: string;
}

const AXIS = { stroke: '#8b93a7', grid: { stroke: '#252a36', width: 1 }, ticks: { stroke: '#252a36', width: 1 } };

/**
 * A line chart whose x axis is seconds into a stress run (not wall time), so two runs can be drawn on
 * the same axis and a live run reads "45 s" instead of a clock time. uPlot on canvas: cheap at 1–4 Hz.
 */
export function RunChart({ title, unit, series, columns, version, height = 180, testId }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: false, range: (_u, min, max) => [Math.min(0, min), Math.max(max, 10)] },
        y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.15 : 1] },
      },
      axes: [
        { ...AXIS, space: 60, values: (_u, ticks) => ticks.map((tick) => formatSeconds(tick)) },
        { ...AXIS, size: 64, values: (_u, ticks) => ticks.map((tick) => `${formatTick(tick)}${unit}`) },
      ],
      series: [
        { label: 's' },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 1.6,
          spanGaps: false,
          ...(s.fill ? { fill: `${s.color}22` } : {}),
          ...(s.dash ? { dash: s.dash } : {}),
          points: { show: false },
        })),
      ],
    };
    const chart = new uPlot(options, columns as uPlot.AlignedData, element);
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(200, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // series/unit are fixed per chart instance
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [height]);

  useEffect(() => {
    plot.current?.setData(columns as uPlot.AlignedData);
  }, [columns, version]);

  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div ref={host} className="chart-canvas" />
    </figure>
  );
}

function formatSeconds(value: number): string {
  if (value >= 3600) return `${(value / 3600).toFixed(1)} h`;
  if (value >= 120) return `${Math.round(value / 60)} min`;
  return `${Math.round(value)} s`;
}

function formatTick(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1000) return `${(value / 1000).toFixed(abs >= 10_000 ? 0 : 1)}k`;
  if (abs >= 10 || value === 0) return value.toFixed(0);
  return value.toFixed(abs >= 1 ? 1 : 2);
}
