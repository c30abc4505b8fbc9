import { ChartFrame } from './ChartFrame';
import { AXIS, formatTick, lineSeries, useUPlot, type ChartSeries } from './uplot-chart';

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

/**
 * A line chart whose x axis is seconds into a stress run (not wall time), so two runs can be drawn on
 * the same axis and a live run reads "45 s" instead of a clock time. uPlot on canvas: cheap at 1–4 Hz.
 */
export function RunChart({ title, unit, series, columns, version, height = 180, testId }: Props) {
  const { host, zoomed, resetZoom } = useUPlot(
    (width) => ({
      width,
      height,
      scales: {
        x: { time: false, range: (_u, min, max) => [Math.min(0, min), Math.max(max, 10)] },
        y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.15 : 1] },
      },
      axes: [
        { ...AXIS, space: 60, values: (_u, ticks) => ticks.map((tick) => formatSeconds(tick)) },
        { ...AXIS, size: 64, values: (_u, ticks) => ticks.map((tick) => `${formatTick(tick)}${unit}`) },
      ],
      series: [{ label: 'second', value: (_u, v) => (v === null || v === undefined ? '—' : `${Math.round(v)} s`) }, ...series.map((s) => lineSeries(s, unit))],
    }),
    columns,
    version,
    height,
  );
  return <ChartFrame title={title} host={host} zoomed={zoomed} onResetZoom={resetZoom} testId={testId} />;
}

function formatSeconds(value: number): string {
  if (value >= 3600) return `${(value / 3600).toFixed(1)} h`;
  if (value >= 120) return `${Math.round(value / 60)} min`;
  return `${Math.round(value)} s`;
}
