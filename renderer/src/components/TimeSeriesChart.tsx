import type { RollingSeries } from '../hooks/use-rolling-series';
import { ChartFrame } from './ChartFrame';
import { AXIS, formatTick, lineSeries, useUPlot, type ChartMarker, type ChartSeries } from './uplot-chart';

export type { ChartMarker, ChartSeries };

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
  /** Spans to mark, in epoch seconds (stress runs on the Overview). */
  markers?: readonly ChartMarker[];
  testId?: string;
}

/** A streaming line chart on uPlot (canvas, built for time series; cheap to update at 4 Hz). */
export function TimeSeriesChart({ title, unit, series, data, version, height = 180, yRange, markers, testId }: Props) {
  const { host, zoomed, resetZoom } = useUPlot(
    (width) => ({
      width,
      height,
      scales: {
        // At least a minute wide, so a chart with one or two points does not stretch them over years.
        x: { time: true, range: (_u, min, max) => minuteWide(min, max) },
        y: yRange ? { range: yRange } : { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.15 : 1] },
      },
      axes: [
        { ...AXIS, space: 60 },
        { ...AXIS, size: 64, values: (_u, ticks) => ticks.map((tick) => `${formatTick(tick)}${unit}`) },
      ],
      series: [{ label: 'time', value: (_u, v) => (v === null || v === undefined ? '—' : new Date(v * 1000).toLocaleTimeString()) }, ...series.map((s) => lineSeries(s, unit))],
    }),
    data.columns,
    version,
    height,
    markers,
  );
  return <ChartFrame title={title} host={host} zoomed={zoomed} onResetZoom={resetZoom} testId={testId} />;
}

/** The x range: the data's, but at least a minute, ending now when there is no data yet. */
function minuteWide(min: number | null, max: number | null): [number, number] {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) {
    const now = Date.now() / 1000;
    return [now - 60, now];
  }
  return max - min < 60 ? [max - 60, max] : [min, max];
}
