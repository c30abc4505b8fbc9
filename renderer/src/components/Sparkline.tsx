export interface SparkSeries {
  values: readonly number[];
  color: string;
  /** Fill the area under the line. */
  fill?: boolean;
  label: string;
}

interface Props {
  series: readonly SparkSeries[];
  width?: number;
  height?: number;
  /** Fixed top of the scale (e.g. the permits); default the largest value shown. */
  max?: number;
  testId?: string;
}

/**
 * A tiny inline SVG chart for table rows: the recent past at a glance, no axes. Every series shares one
 * scale (0 … max) and is drawn right-aligned, so a fresh primitive fills in from the right.
 */
export function Sparkline({ series, width = 132, height = 30, max, testId }: Props) {
  const capacity = Math.max(2, ...series.map((s) => s.values.length));
  const top = max ?? Math.max(1, ...series.flatMap((s) => s.values));
  const x = (index: number, length: number): number => width - ((length - 1 - index) / (capacity - 1)) * width;
  const y = (value: number): number => height - 1 - (Math.min(value, top) / top) * (height - 2);
  const title = series.map((s) => `${s.label}: ${formatLast(s.values)}`).join(' · ');
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} data-testid={testId}>
      <title>{title}</title>
      {series.map((s) => {
        if (s.values.length < 2) return null;
        const points = s.values.map((value, index) => `${x(index, s.values.length).toFixed(1)},${y(value).toFixed(1)}`).join(' ');
        const first = x(0, s.values.length).toFixed(1);
        return (
          <g key={s.label}>
            {s.fill ? <polygon points={`${first},${height} ${points} ${width},${height}`} fill={s.color} opacity={0.18} /> : null}
            <polyline points={points} fill="none" stroke={s.color} strokeWidth={1.4} strokeLinejoin="round" />
          </g>
        );
      })}
    </svg>
  );
}

function formatLast(values: readonly number[]): string {
  const last = values.at(-1);
  return last === undefined ? '—' : Number.isInteger(last) ? String(last) : last.toFixed(1);
}
