import type { SemaphoreSnapshot } from '../../../../shared/contract';
import { primitiveKey } from '../attach/process-filter';
import { formatCount, formatMs } from './concurrency-format';

const WIDTH = 640;
const HEIGHT = 150;
const PAD = { left: 36, right: 8, top: 8, bottom: 20 };

/**
 * The adaptive semaphores' limits as they moved: one step chart each (the history of limit changes,
 * carried on to now), with what the algorithm sees — short- and long-term latency, drops — beside it.
 */
export function AdaptiveLimitsCard({ semaphores, now }: { semaphores: readonly SemaphoreSnapshot[]; now: number }) {
  const adaptive = semaphores.filter((s) => s.adaptive !== undefined);
  if (adaptive.length === 0) return null;
  return (
    <div className="card adaptive-limits" data-testid="adaptive-limits">
      <h2>Adaptive limits</h2>
      <p className="muted">
        Permits found from latency and 429/503s rather than chosen: the limit rises while calls come back at their usual latency and falls when latency climbs or the downstream refuses.
      </p>
      {adaptive.map((s) => (
        <LimitHistory key={primitiveKey('semaphore', s)} semaphore={s} now={now} />
      ))}
    </div>
  );
}

function LimitHistory({ semaphore: s, now }: { semaphore: SemaphoreSnapshot; now: number }) {
  const a = s.adaptive!;
  const points = a.history.length > 0 ? [...a.history, { t: Math.max(now, a.history[a.history.length - 1]!.t), limit: a.limit }] : [{ t: now, limit: a.limit }];
  const start = points[0]!.t;
  const span = Math.max(1000, points[points.length - 1]!.t - start);
  const top = Math.max(a.min + 1, ...points.map((p) => p.limit)) * 1.1;
  const x = (t: number): number => PAD.left + ((t - start) / span) * (WIDTH - PAD.left - PAD.right);
  const y = (limit: number): number => HEIGHT - PAD.bottom - (limit / top) * (HEIGHT - PAD.top - PAD.bottom);
  let path = `M ${x(points[0]!.t).toFixed(1)} ${y(points[0]!.limit).toFixed(1)}`;
  for (let i = 1; i < points.length; i++) path += ` H ${x(points[i]!.t).toFixed(1)} V ${y(points[i]!.limit).toFixed(1)}`;
  const ticks = [0, Math.round(top / 2), Math.round(top / 1.1)];
  const label = `${s.name}: limit ${a.limit} (${a.algorithm}, ${a.min}–${a.max})`;
  return (
    <div className="adaptive-limit" data-testid={`adaptive-${s.name}`}>
      <div className="adaptive-limit-head">
        <span className="mono">{s.name}</span>
        <span>
          limit <strong data-testid={`adaptive-limit-${s.name}`}>{a.limit}</strong> <span className="muted">({a.algorithm}, {a.min}–{a.max}, {s.inUse} in use)</span>
        </span>
        <span className="muted">
          latency {a.shortRttMs === null ? '—' : formatMs(a.shortRttMs)} now vs {a.longRttMs === null ? '—' : formatMs(a.longRttMs)} baseline · {formatCount(a.drops)} drops of {formatCount(a.samples)} calls
        </span>
      </div>
      <svg className="adaptive-chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label}>
        <title>{label}</title>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} stroke="#252a36" />
            <text x={PAD.left - 6} y={y(tick) + 4} textAnchor="end" fill="#8b93a7" fontSize="11">
              {tick}
            </text>
          </g>
        ))}
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(a.max)} y2={y(a.max)} stroke="#f87171" strokeDasharray="4 4" opacity={a.max <= top ? 0.7 : 0} />
        <path d={path} fill="none" stroke="#5eead4" strokeWidth="2" />
        <text x={PAD.left} y={HEIGHT - 4} fill="#8b93a7" fontSize="11">
          −{Math.round(span / 1000)} s
        </text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 4} textAnchor="end" fill="#8b93a7" fontSize="11">
          now
        </text>
      </svg>
    </div>
  );
}
