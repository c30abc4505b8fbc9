import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { RollingSeries } from '../hooks/use-rolling-series';

export interface ChartSeries {
  label: string;
  color: string;
  /** Draw as filled area under the line. */
  fill?: boolean;
  dash?: number[];
}

interface Props {
  title: string;
  unit: string;
  series: readonly ChartSeries[];
  data: RollingSeries;
  /** Changes whenever `data` changed; the chart redraws without re-creating uPlot. */
  version: number;
  height?: number;
  /** Fixed y range floor/ceiling, for percentages. */
  yRange?: [number, number];
  testId?: string;
}

const AXIS = { stroke: '#8b93a7', grid: { stroke: '#252a36', width: 1 }, ticks: { stroke: '#252a36', width: 1 } };

/** A streaming line chart on uPlot (canvas, built for time series; cheap to update at 4 Hz). */
export function TimeSeriesChart({ title, unit, series, data, version, height = 180, yRange, testId }: Props) {
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
        // At least a minute wide, so a chart with one or two points does not stretch them over years.
        x: { time: true, range: (_u, min, max) => minuteWide(min, max) },
        y: yRange ? { range: yRange } : { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.15 : 1] } },
      axes: [
        { ...AXIS, space: 60 },
        { ...AXIS, size: 64, values: (_u, ticks) => ticks.map((tick) => `${formatTick(tick)}${unit}`) },
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 1.6,
          ...(s.fill ? { fill: `${s.color}22` } : {}),
          ...(s.dash ? { dash: s.dash } : {}),
          points: { show: false },
        })),
      ],
    };
    const chart = new uPlot(options, data.columns as uPlot.AlignedData, element);
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
    plot.current?.setData(data.columns as uPlot.AlignedData);
  }, [data, version]);

  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div ref={host} className="chart-canvas" />
    </figure>
  );
}

/** The x range: the data's, but at least a minute, ending now when there is no data yet. */
function minuteWide(min: number | null, max: number | null): [number, number] {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) {
    const now = Date.now() / 1000;
    return [now - 60, now];
  }
  return max - min < 60 ? [max - 60, max] : [min, max];
}

function formatTick(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1000) return `${(value / 1000).toFixed(abs >= 10_000 ? 0 : 1)}k`;
  if (abs >= 10 || value === 0) return value.toFixed(0);
  return value.toFixed(abs >= 1 ? 1 : 2);
}
