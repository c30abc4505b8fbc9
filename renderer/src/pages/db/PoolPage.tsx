import { AttachedPoolsCard } from '../attach/AttachedPoolsCard';
import { useState } from 'react';
import type { PoolSnapshot } from '../../../../shared/contract';
import { PageHeader } from '../../components/PageHeader';
import { StatCard } from '../../components/StatCard';
import { TimeSeriesChart, type ChartSeries } from '../../components/TimeSeriesChart';
import { useEvent } from '../../hooks/bridge-context';
import { useCall } from '../../hooks/use-call';
import { useRollingSeries } from '../../hooks/use-rolling-series';
import { CorpusCard } from './CorpusCard';
import { DoctorHistoryTable } from './DoctorHistoryTable';
import { LeaksCard } from './LeaksCard';
import { PgbouncerCard } from './PgbouncerCard';
import { PoolSettingsCard } from './PoolSettingsCard';
import { ServerVsPoolTable } from './ServerVsPoolTable';
import { STATE_BADGE, STATE_NOTICE, describeRefill, formatMs } from './db-format';

/** Five minutes at 4 Hz. */
const WINDOW_POINTS = 1200;
const CLIENT_SERIES: ChartSeries[] = [
  { label: 'total', color: '#60a5fa' },
  { label: 'idle', color: '#34d399' },
  { label: 'leased', color: '#fbbf24' },
  { label: 'waiting', color: '#f87171', fill: true },
  { label: 'server (pg_stat_activity)', color: '#a78bfa', dash: [4, 4] },
];
const WAIT_SERIES: ChartSeries[] = [
  { label: 'acquire wait p99', color: '#f87171' },
  { label: 'hold p99', color: '#60a5fa' },
  { label: 'hold p50', color: '#5eead4', dash: [4, 4] },
];

/** The RAG database pool live: what the pool thinks, what PostgreSQL says, who holds clients too long. */
export function PoolPage() {
  const [snapshot, setSnapshot] = useState<PoolSnapshot | null>(null);
  const clients = useRollingSeries(WINDOW_POINTS, 5);
  const waits = useRollingSeries(WINDOW_POINTS, 3);
  const settings = useCall('pool.settings', {}, snapshot?.state ?? '');
  const history = useCall('doctor.history', { limit: 8 });

  useEvent('pool.snapshot', (next) => {
    setSnapshot(next);
    // uPlot draws null as a gap: no server sample yet, or the last one failed.
    const server = next.server?.ok ? next.server.ours : (null as unknown as number);
    clients.push(next.t, [next.counts.total, next.counts.idle, next.counts.leased, next.counts.waiting, server]);
    waits.push(next.t, [next.acquireWaitMs.p99, next.holdMs.p99, next.holdMs.p50]);
  });

  const s = snapshot;
  const ready = s !== null;
  const server = s?.server?.ok ? s.server : null;
  const matches = server !== null && s !== null && server.ours === s.counts.total;
  const refill = s ? describeRefill(s) : null;

  return (
    <section className="page" data-page="pool" data-ready={ready ? 'true' : undefined} data-db-state={s?.state} data-refill={s?.refill.state}>
      <PageHeader
        title="Pool"
        subtitle="The RAG database's connection pool, four times a second, next to PostgreSQL's own count of our sessions from pg_stat_activity. A client held past the leak threshold is listed with the stack of the code that took it."
        actions={s ? <span className={`badge ${STATE_BADGE[s.state]}`} data-testid="db-state">{s.state}</span> : null}
      />
      {s && s.state !== 'ready' ? (
        <div className={`notice ${STATE_BADGE[s.state] === 'badge-bad' ? 'notice-bad' : 'notice-warn'}`} role="status" data-testid="db-state-notice">
          <strong>{STATE_NOTICE[s.state]}</strong>
          <div className="notice-remedy">{s.stateDetail}</div>
          {STATE_BADGE[s.state] === 'badge-bad' ? <a href="#/doctor">Diagnose the connection →</a> : null}
        </div>
      ) : null}
      <div className="stat-row">
        <StatCard
          label="Clients open"
          value={s ? `${s.counts.total} / ${s.counts.max}` : '—'}
          tone={refill?.tone ?? 'neutral'}
          hint={refill ? <span data-testid="pool-refill">{refill.text}</span> : 'waiting for the pool'}
          testId="stat-pool-total"
        />
        <StatCard label="Idle / leased" value={s ? `${s.counts.idle} / ${s.counts.leased}` : '—'} hint="in the pool / held by code" testId="stat-pool-idle" />
        <StatCard
          label="Waiting"
          value={s ? String(s.counts.waiting) : '—'}
          tone={!s ? 'neutral' : s.counts.waiting > 0 ? 'warn' : 'ok'}
          hint={s && s.oldestWaiterMs > 0 ? `oldest ${formatMs(s.oldestWaiterMs)}` : 'nobody waits for a client'}
          testId="stat-pool-waiting"
        />
        <StatCard label="Acquire wait p99" value={s ? formatMs(s.acquireWaitMs.p99) : '—'} hint={s ? `p50 ${formatMs(s.acquireWaitMs.p50)} · ${s.acquireWaitMs.count} in the last minute` : undefined} testId="stat-pool-wait" />
        <StatCard label="Hold time p99" value={s ? formatMs(s.holdMs.p99) : '—'} hint={s ? `p50 ${formatMs(s.holdMs.p50)} · max ${formatMs(s.holdMs.max)}` : undefined} testId="stat-pool-hold" />
        <StatCard
          label="Server sessions (ours)"
          value={server ? String(server.ours) : '—'}
          tone={!server ? 'neutral' : matches ? 'ok' : 'warn'}
          hint={server ? `${matches ? 'matches' : 'differs from'} the pool · ${server.allConnections} of ${server.maxConnections} on the server` : (s?.server?.error ?? 'not sampled yet')}
          testId="stat-server-ours"
        />
      </div>
      <div className="chart-grid">
        <TimeSeriesChart title="Clients: pool and server" unit="" series={CLIENT_SERIES} data={clients.series} version={clients.version} testId="chart-pool-clients" />
        <TimeSeriesChart title="Acquire wait and hold time" unit=" ms" series={WAIT_SERIES} data={waits.series} version={waits.version} testId="chart-pool-waits" />
      </div>
      <div className="db-grid">
        {s ? <ServerVsPoolTable snapshot={s} /> : null}
        <LeaksCard leaks={s?.leaks ?? []} thresholdMs={settings.data?.settings.leakThresholdMs ?? null} flaggedSinceStart={s?.totals.leaksDetected ?? 0} />
      </div>
      <div className="db-grid">
        {settings.data ? <PoolSettingsCard info={settings.data} embedded={s?.embedded ?? null} totals={s?.totals ?? null} /> : null}
        <CorpusCard state={s?.state ?? 'starting'} />
      </div>
      <PgbouncerCard />
      <DoctorHistoryTable rows={history.data} compact />
      <AttachedPoolsCard />
    </section>
  );
}
