import { ErrorNotice } from '../components/ErrorNotice';
import { PageHeader } from '../components/PageHeader';
import { StatCard } from '../components/StatCard';
import { TimeSeriesChart, type ChartSeries } from '../components/TimeSeriesChart';
import { useOverviewPage } from './use-overview-page';

const DELAY_SERIES: ChartSeries[] = [
  { label: 'p50', color: '#5eead4' },
  { label: 'p99', color: '#fbbf24' },
  { label: 'max', color: '#f87171', dash: [4, 4] },
];
const MEMORY_SERIES: ChartSeries[] = [
  { label: 'heap used', color: '#60a5fa', fill: true },
  { label: 'heap total', color: '#a78bfa' },
  { label: 'RSS', color: '#f472b6' },
];
const CPU_SERIES: ChartSeries[] = [
  { label: 'CPU %', color: '#34d399', fill: true },
  { label: 'event-loop utilisation %', color: '#fbbf24' },
];

/** The runtime the stack runs in, live: is the event loop healthy, is memory flat, is CPU saturated. */
export function OverviewPage() {
  const { delay, memory, cpu, latest, ready, error, markers } = useOverviewPage();
  const loopTone = !latest ? 'neutral' : latest.eventLoopDelayMs.p99 > 100 ? 'bad' : latest.eventLoopDelayMs.p99 > 30 ? 'warn' : 'ok';

  return (
    <section className="page" data-page="overview" data-ready={ready ? 'true' : undefined}>
      <PageHeader
        title="Overview"
        subtitle="The Node runtime the agent stack runs in, sampled four times a second. A stalled event loop delays every request, timer and pool acquire at once."
      />
      {error ? <ErrorNotice error={error} /> : null}
      <div className="stat-row">
        <StatCard label="Event-loop delay p99" value={latest ? `${latest.eventLoopDelayMs.p99.toFixed(1)} ms` : '—'} tone={loopTone} hint={latest ? `p50 ${latest.eventLoopDelayMs.p50.toFixed(1)} · max ${latest.eventLoopDelayMs.max.toFixed(1)} ms` : 'waiting for samples'} testId="stat-eld-p99" />
        <StatCard label="Event-loop utilisation" value={latest ? `${(latest.eventLoopUtilization * 100).toFixed(1)} %` : '—'} hint="share of time the loop was busy" testId="stat-elu" />
        <StatCard label="Heap used" value={latest ? `${latest.heapUsedMb.toFixed(1)} MB` : '—'} hint={latest ? `of ${latest.heapTotalMb.toFixed(1)} MB allocated` : undefined} testId="stat-heap" />
        <StatCard label="RSS" value={latest ? `${latest.rssMb.toFixed(0)} MB` : '—'} hint="resident memory of the stack process" testId="stat-rss" />
        <StatCard label="CPU" value={latest ? `${latest.cpuPercent.toFixed(1)} %` : '—'} hint="100 % = one full core" testId="stat-cpu" />
        <StatCard label="Active handles" value={latest ? String(latest.activeHandles) : '—'} hint="sockets, timers, servers keeping the loop alive" testId="stat-handles" />
      </div>
      <div className="chart-grid">
        <TimeSeriesChart title="Event-loop delay" unit=" ms" series={DELAY_SERIES} data={delay.series} version={delay.version} markers={markers} testId="chart-eld" />
        <TimeSeriesChart title="Memory" unit=" MB" series={MEMORY_SERIES} data={memory.series} version={memory.version} markers={markers} testId="chart-memory" />
        <TimeSeriesChart title="CPU and event-loop utilisation" unit=" %" series={CPU_SERIES} data={cpu.series} version={cpu.version} markers={markers} testId="chart-cpu" />
      </div>
    </section>
  );
}
