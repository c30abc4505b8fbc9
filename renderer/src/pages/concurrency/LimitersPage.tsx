import type { LimiterBucket, LimiterSnapshot } from '../../../../shared/contract';
import { PageHeader } from '../../components/PageHeader';
import { Sparkline } from '../../components/Sparkline';
import { StatCard } from '../../components/StatCard';
import { useConcurrency, type SparkHistory } from '../../hooks/use-concurrency';
import { DemoLoadControl } from './DemoLoadControl';
import { formatCount, formatMs, formatRate, formatUntil } from './concurrency-format';
import './concurrency.css';

const BUCKET_LABEL: Record<string, string> = { 'input-tokens': 'input tok', 'output-tokens': 'output tok' };

const KIND_LABEL: Record<LimiterSnapshot['kind'], string> = {
  'token-bucket': 'token bucket',
  'sliding-window-log': 'window log',
  'sliding-window-counter': 'window counter',
  openai: 'OpenAI',
  anthropic: 'Anthropic',
};

/** Every registered rate limiter, live: tokens left per bucket, admissions, queues, 429s and pauses. */
export function LimitersPage() {
  const { snapshot, history } = useConcurrency();
  const limiters = snapshot?.limiters ?? [];
  const now = snapshot?.t ?? 0;
  const admitted = limiters.reduce((sum, l) => sum + l.admittedPerSec, 0);
  const queued = limiters.reduce((sum, l) => sum + l.queued, 0);
  const http429 = limiters.reduce((sum, l) => sum + l.http429, 0);
  const paused = limiters.filter((l) => l.pausedUntil !== null && l.pausedUntil > now).length;

  return (
    <section className="page" data-page="limiters" data-ready={snapshot ? 'true' : undefined}>
      <PageHeader
        title="Limiters"
        subtitle="Rate limiters in the stack. Provider limiters learn their limits from response headers, pause every caller when the provider answers 429 (for as long as it asks) and back off on 529; the one retry loop counts its retries here."
        actions={<DemoLoadControl status={snapshot?.demo ?? null} now={now} />}
      />
      {snapshot !== null && limiters.length === 0 ? (
        <div className="notice notice-warn" role="status" data-testid="limiters-empty">
          <strong>No limiter is registered right now.</strong>
          <div className="notice-remedy">Provider limiters appear during governed stress runs; the demo load shows every kind.</div>
        </div>
      ) : null}
      <div className="stat-row">
        <StatCard label="Admitted / s" value={snapshot ? formatRate(admitted) : '—'} hint={`${limiters.length} limiter${limiters.length === 1 ? '' : 's'}`} testId="stat-lim-admitted" />
        <StatCard label="Queued" value={snapshot ? String(queued) : '—'} tone={queued > 0 ? 'warn' : 'neutral'} hint="callers waiting for tokens" testId="stat-lim-queued" />
        <StatCard label="429s seen" value={snapshot ? formatCount(http429) : '—'} tone={http429 > 0 ? 'warn' : 'ok'} hint="since each limiter started" testId="stat-lim-429" />
        <StatCard label="Paused" value={snapshot ? String(paused) : '—'} tone={paused > 0 ? 'bad' : 'ok'} hint="limiters holding every caller back" testId="stat-lim-paused" />
      </div>
      {limiters.length > 0 ? (
        <div className="card table-card">
          <table className="data" data-testid="limiters-table">
            <thead>
              <tr>
                <th>Limiter</th>
                <th>Available per bucket</th>
                <th className="num">Admitted/s</th>
                <th className="num">Queued</th>
                <th className="num" title="admissions that had to wait · their wait p99">Waited · p99</th>
                <th className="num" title="HTTP 429 · HTTP 529 · retries by the retry loop">429·529·retry</th>
                <th>Next reset</th>
                <th>Paused until</th>
                <th>Trend</th>
              </tr>
            </thead>
            <tbody>
              {limiters.map((l) => (
                <LimiterRow key={l.name} limiter={l} now={now} history={history} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function LimiterRow({ limiter: l, now, history }: { limiter: LimiterSnapshot; now: number; history: SparkHistory }) {
  const [rate = [], queued = []] = history.get(`limiter:${l.name}`);
  const pausedFor = l.pausedUntil !== null ? l.pausedUntil - now : 0;
  return (
    <tr data-testid={`limiter-${l.name}`}>
      <td>
        <div className="mono">{l.name}</div>
        <span className="badge badge-muted">{KIND_LABEL[l.kind]}</span>
        {l.rampFactor !== null ? (
          <span className="badge badge-warn" title="ramping up after idle: share of each bucket usable now">
            {' '}
            ramp {Math.round(l.rampFactor * 100)} %
          </span>
        ) : null}
        {l.lastError ? (
          <div className="last-error" title={l.lastError}>
            {l.lastError}
          </div>
        ) : null}
      </td>
      <td>
        {l.buckets.length === 0 ? <span className="muted">limits not known yet (learned from the first response)</span> : l.buckets.map((bucket) => <BucketMeter key={bucket.name} bucket={bucket} />)}
      </td>
      <td className="num">{formatRate(l.admittedPerSec)}</td>
      <td className="num" title={`at most ${l.maxQueuedSeen} queued so far`}>
        <span className={l.queued > 0 ? 'text-warn' : undefined}>{l.queued}</span>
      </td>
      <td className="num">
        {formatCount(l.waited)} · {formatMs(l.waitMs.p99)}
      </td>
      <td className="num">
        <span className={l.http429 > 0 ? 'text-warn' : undefined}>{formatCount(l.http429)}</span> · <span className={l.http529 > 0 ? 'text-bad' : undefined}>{formatCount(l.http529)}</span> ·{' '}
        {formatCount(l.retries)}
      </td>
      <td>{formatUntil(l.nextResetAt, now)}</td>
      <td>
        {pausedFor > 0 ? (
          <div title={l.pauseReason ?? undefined}>
            <span className="badge badge-bad" data-testid={`paused-${l.name}`}>
              paused {formatMs(pausedFor)}
            </span>
            <div className="pause-reason">{l.pauseReason}</div>
          </div>
        ) : (
          <span className="muted">running</span>
        )}
      </td>
      <td>
        <Sparkline
          width={88}
          series={[
            { label: 'admitted/s', values: rate, color: '#34d399', fill: true },
            { label: 'queued', values: queued, color: '#fbbf24' },
          ]}
        />
      </td>
    </tr>
  );
}

function BucketMeter({ bucket }: { bucket: LimiterBucket }) {
  const share = bucket.capacity > 0 ? Math.max(0, Math.min(1, bucket.available / bucket.capacity)) : 0;
  const tone = share < 0.1 ? 'meter-low' : share < 0.35 ? 'meter-mid' : undefined;
  return (
    <div className="bucket" title={`${bucket.name}: ${bucket.available} of ${bucket.capacity} ${bucket.unit}, refills ${formatRate(bucket.refillPerSec)}/s (${bucket.source === 'headers' ? 'limit learned from response headers' : 'configured limit'})`}>
      <span className="bucket-name">{BUCKET_LABEL[bucket.name] ?? bucket.name}</span>
      <div className="meter-bar">
        <div className={tone} style={{ width: `${share * 100}%` }} />
      </div>
      <span className="bucket-value">
        {formatCount(Math.floor(bucket.available))} / {formatCount(bucket.capacity)}
      </span>
      {bucket.source === 'headers' ? (
        <span className="badge badge-ok bucket-source" title="limit learned from the provider's response headers">
          hdr
        </span>
      ) : (
        <span />
      )}
    </div>
  );
}
