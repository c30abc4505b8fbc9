import type { ChartSeries } from '../../../../shared/run-charts';
import { escapeHtml } from './html-escape';

export interface SvgChartInput {
  title: string;
  unit: string;
  series: readonly ChartSeries[];
  /** x values (seconds into the run). */
  x: readonly number[];
  /** One column per series, aligned with x; null = no value (a gap). */
  columns: ReadonlyArray<ReadonlyArray<number | null>>;
}

const WIDTH = 560;
const HEIGHT = 200;
const PAD = { left: 52, right: 12, top: 10, bottom: 26 };
const AXIS = '#8b93a7';
const GRID = '#262d3d';

/**
 * One line chart as inline SVG markup (no script, no external reference): a y scale from 0 to a round
 * maximum, four gridlines with values, seconds on x, a polyline per series broken at gaps, and a legend
 * with each series' last and highest value — what a static report needs instead of a hover.
 */
export function svgLineChart(input: SvgChartInput): string {
  const { x, columns, series } = input;
  const values = columns.flatMap((column) => column.filter((v): v is number => v !== null && Number.isFinite(v)));
  const top = niceCeil(Math.max(1, ...values));
  const xMin = x.length > 0 ? Math.min(0, x[0]!) : 0;
  const xMax = Math.max(xMin + 10, x.at(-1) ?? 10);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const sx = (v: number): number => PAD.left + ((v - xMin) / (xMax - xMin)) * plotW;
  const sy = (v: number): number => PAD.top + plotH - (Math.min(v, top) / top) * plotH;

  const grid: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const value = (top / 4) * i;
    const y = sy(value).toFixed(1);
    grid.push(`<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y}" y2="${y}" stroke="${GRID}"/>`);
    grid.push(`<text x="${PAD.left - 6}" y="${y}" dy="0.32em" text-anchor="end">${escapeHtml(formatTick(value) + input.unit)}</text>`);
  }
  for (let i = 0; i <= 5; i++) {
    const value = xMin + ((xMax - xMin) / 5) * i;
    grid.push(`<text x="${sx(value).toFixed(1)}" y="${HEIGHT - 8}" text-anchor="middle">${Math.round(value)} s</text>`);
  }

  const lines = series.map((s, index) => {
    const column = columns[index] ?? [];
    const segments: string[] = [];
    let current: string[] = [];
    column.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) {
        if (current.length > 0) segments.push(current.join(' '));
        current = [];
      } else current.push(`${sx(x[i]!).toFixed(1)},${sy(v).toFixed(1)}`);
    });
    if (current.length > 0) segments.push(current.join(' '));
    const dash = s.dash ? ` stroke-dasharray="${s.dash.join(' ')}"` : '';
    const width = s.width ?? 1.6;
    return segments
      .map((points) => {
        const fill = s.fill && points.includes(' ') ? `<polygon points="${firstX(points)},${sy(0).toFixed(1)} ${points} ${lastX(points)},${sy(0).toFixed(1)}" fill="${s.color}" fill-opacity="0.13"/>` : '';
        return `${fill}<polyline points="${points}" fill="none" stroke="${s.color}" stroke-width="${width}"${dash} stroke-linejoin="round"/>`;
      })
      .join('');
  });

  const legend = series
    .map((s, index) => {
      const column = (columns[index] ?? []).filter((v): v is number => v !== null && Number.isFinite(v));
      const last = column.at(-1);
      const peak = column.length > 0 ? Math.max(...column) : undefined;
      const stats = last === undefined ? 'no data' : `last ${formatTick(last)}${input.unit} · max ${formatTick(peak!)}${input.unit}`;
      return `<li><span class="swatch" style="background:${s.color}"></span>${escapeHtml(s.label)} <span class="muted">${escapeHtml(stats)}</span></li>`;
    })
    .join('');

  return `<figure class="chart"><figcaption>${escapeHtml(input.title)}</figcaption><svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(input.title)}" font-size="10" fill="${AXIS}">${grid.join('')}${lines.join('')}</svg><ul class="legend">${legend}</ul></figure>`;
}

function firstX(points: string): string {
  return points.slice(0, points.indexOf(','));
}

function lastX(points: string): string {
  const last = points.slice(points.lastIndexOf(' ') + 1);
  return last.slice(0, last.indexOf(','));
}

/** 1, 2, 2.5 or 5 times a power of ten, at or above `value`. */
function niceCeil(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function formatTick(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1000) return `${(value / 1000).toFixed(abs >= 10_000 ? 0 : 1)}k`;
  if (abs >= 10 || value === 0) return value.toFixed(0);
  return value.toFixed(abs >= 1 ? 1 : 2);
}
