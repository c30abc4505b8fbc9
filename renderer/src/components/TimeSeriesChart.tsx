import type { RollingSeries } from '../hooks/use-rolling-series';
import { AXIS, formatTick, lineSeries, useUPlot, type ChartSeries } from './uplot-chart';

export type { ChartSeries };

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

/** A streaming line chart on uPlot (canvas, built for time series; cheap to update at 4 Hz). */
export function TimeSeriesChart({ title, unit, series, data, version, height = 180, yRange, testId }: Props) {
  const host = useUPlot(
    (width) => ({
      width,
      height,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        // At least a minute wide, so a chart with one or two points does not stretch them over years.
        x: { time: true, range: (_u, min, max) => minuteWide(min, max) },
        y: yRange ? { range: yRange } : { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.15 : 1] },
      },
      axes: [
        { ...AXIS, space: 60 },
        { ...AXIS, size: 64, values: (_u, ticks) => ticks.map((tick) => `${formatTick(tick)}${unit}`) },
      ],
      series: [{}, ...series.map(lineSeries)],
    }),
    data.columns,
    version,
    height,
  );

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
