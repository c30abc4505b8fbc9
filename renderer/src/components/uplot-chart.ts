import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartSeries } from '../../../shared/run-charts';

export type { ChartSeries };

export const AXIS = { stroke: '#8b93a7', grid: { stroke: '#252a36', width: 1 }, ticks: { stroke: '#252a36', width: 1 } };

/** A span on the x axis to mark (a stress run on a runtime chart): from `start` to `end`, or to the right edge while it runs. */
export interface ChartMarker {
  readonly key: string;
  readonly start: number;
  readonly end: number | null;
  readonly label: string;
}

/** One uPlot line series from our series description; the legend shows its value at the cursor with `unit`. */
export function lineSeries(s: ChartSeries, unit = ''): uPlot.Series {
  return {
    label: s.label,
    stroke: s.color,
    width: s.width ?? 1.6,
    spanGaps: false,
    value: (_u, value) => (value === null || value === undefined ? '—' : `${formatValue(value)}${unit}`),
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

/** A value at the cursor: more precise than a tick (1,234 rather than 1.2k). */
export function formatValue(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString('en');
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(abs >= 1 || value === 0 ? 2 : 3);
}

export interface UPlotChart {
  /** The element uPlot draws into. */
  host: RefObject<HTMLDivElement | null>;
  /** True after a drag-zoom, until reset. */
  zoomed: boolean;
  resetZoom: () => void;
}

const MARKER_FILL = 'rgba(96, 165, 250, 0.10)';
const MARKER_EDGE = 'rgba(96, 165, 250, 0.75)';
const MARKER_TEXT = '#93c5fd';

/**
 * A uPlot chart's lifecycle inside a component: created once per height (the options are fixed per chart
 * instance), sized to its container and resized with it, fed new data without being re-created whenever
 * `version` changes, destroyed on unmount. On top of the caller's options: the legend shows every
 * series' value at the cursor, a drag across the plot zooms into that span (new data keeps the zoom until
 * reset; double-click or `resetZoom` goes back), and `markers` are drawn as labelled bands.
 */
export function useUPlot(
  makeOptions: (width: number) => uPlot.Options,
  data: ReadonlyArray<ReadonlyArray<number | null>>,
  version: number,
  height: number,
  markers: readonly ChartMarker[] = [],
): UPlotChart {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latestData = useRef(data);
  const latestMarkers = useRef(markers);
  const zoomedRef = useRef(false);
  const [zoomed, setZoomed] = useState(false);

  const resetZoom = useCallback(() => {
    zoomedRef.current = false;
    setZoomed(false);
    plot.current?.setData(latestData.current as uPlot.AlignedData, true);
  }, []);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const options = makeOptions(Math.max(200, element.clientWidth));
    const chart = new uPlot(
      {
        ...options,
        legend: { show: true, live: true },
        cursor: {
          ...options.cursor,
          drag: { x: true, y: false, setScale: true },
          bind: { dblclick: () => () => (resetZoom(), null) },
        },
        hooks: {
          ...options.hooks,
          setSelect: [
            (u) => {
              if (u.select.width > 0) {
                zoomedRef.current = true;
                setZoomed(true);
              }
            },
          ],
          draw: [(u) => drawMarkers(u, latestMarkers.current)],
          // Off the plot, the legend shows the newest values instead of dashes.
          setCursor: [(u) => u.cursor.idx == null && showLatest(u)],
        },
      },
      data as uPlot.AlignedData,
      element,
    );
    plot.current = chart;
    showLatest(chart);
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
    latestData.current = data;
    // While zoomed, new points arrive without moving the view.
    const chart = plot.current;
    if (!chart) return;
    chart.setData(data as uPlot.AlignedData, !zoomedRef.current);
    if (chart.cursor.idx == null) showLatest(chart);
  }, [data, version]);

  useEffect(() => {
    latestMarkers.current = markers;
    plot.current?.redraw(false, false);
  }, [markers]);

  return { host, zoomed, resetZoom };
}

function showLatest(u: uPlot): void {
  const length = u.data[0]?.length ?? 0;
  if (length > 0) u.setLegend({ idx: length - 1 });
}

/** Each marker as a translucent band with an edge at its start and its label along the top. */
function drawMarkers(u: uPlot, markers: readonly ChartMarker[]): void {
  if (markers.length === 0) return;
  const { left, top, width, height } = u.bbox;
  const right = left + width;
  const ctx = u.ctx;
  const ratio = uPlot.pxRatio;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  ctx.font = `${11 * ratio}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  // uPlot leaves the axes' alignment on the context; labels start at their band.
  ctx.textAlign = 'left';
  for (const marker of markers) {
    const x0 = u.valToPos(marker.start, 'x', true);
    const x1 = marker.end === null ? right : u.valToPos(marker.end, 'x', true);
    if (x1 < left || x0 > right) continue;
    const from = Math.max(left, x0);
    ctx.fillStyle = MARKER_FILL;
    ctx.fillRect(from, top, Math.max(2 * ratio, Math.min(right, x1) - from), height);
    if (x0 >= left) {
      ctx.fillStyle = MARKER_EDGE;
      ctx.fillRect(x0, top, ratio, height);
    }
    ctx.fillStyle = MARKER_TEXT;
    const textWidth = ctx.measureText(marker.label).width;
    // Right of the band's start; where that runs off the plot, ending at the start instead; else clamped.
    const gap = 4 * ratio;
    const textX =
      from + gap + textWidth <= right ? from + gap : x0 - gap - textWidth >= left ? x0 - gap - textWidth : Math.max(left + gap, right - textWidth - gap);
    ctx.fillText(marker.label, textX, top + 3 * ratio);
  }
  ctx.restore();
}
