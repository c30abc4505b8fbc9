import type { LimiterBucket, LimiterSnapshot } from '../../../../shared/contract';
import { Sparkline } from '../../components/Sparkline';
import type { SparkHistory } from '../../hooks/use-concurrency';
import { ProcessTag } from '../attach/ProcessFilter';
import { primitiveKey } from '../attach/process-filter';
import { formatCount, formatMs, formatRate, formatUntil } from './concurrency-format';

const BUCKET_LABEL: Record<string, string> = { 'input-tokens': 'input tok', 'output-tokens': 'output tok' };

const KIND_LABEL: Record<LimiterSnapshot['kind'], string> = {
  'token-bucket': 'token bucket',
  'sliding-window-log': 'window log',
  'sliding-window-counter': 'window counter',
  openai: 'OpenAI',
  anthropic: 'Anthropic',
};

/** One limiter: kind, buckets, admissions, queue, waits, provider answers, resets and pauses, trend. */
export function LimiterRow({ limiter: l, now, history }: { limiter: LimiterSnapshot; now: number; history: SparkHistory }) {
  const [rate = [], queued = []] = history.get(primitiveKey('limiter', l));
  const pausedFor = l.pausedUntil !== null ? l.pausedUntil - now : 0;
  return (
    <tr data-testid={`limiter-${l.name}`} data-process={l.process?.name}>
      <td>
        <div className="mono">{l.name}</div>
        <ProcessTag process={l.process} />
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
      <td className="num" data-testid={`waited-${l.name}`}>
        {formatCount(l.waited)}
      </td>
      <td className="num">{l.waited > 0 ? formatMs(l.waitMs.p99) : <span className="muted">—</span>}</td>
      <td className="num">
        <span className={l.http429 > 0 ? 'text-warn' : undefined}>{formatCount(l.http429)}</span> · <span className={l.http529 > 0 ? 'text-bad' : undefined}>{formatCount(l.http529)}</span> ·{' '}
        {formatCount(l.retries)}
      </td>
      <td className="nowrap">{formatUntil(l.nextResetAt, now)}</td>
      <td>
        {pausedFor > 0 ? (
          <div title={l.pauseReason ?? undefined}>
            <span className="badge badge-bad" data-testid={`paused-${l.name}`}>
              paused {formatMs(pausedFor)}
            </span>
            <div className="pause-reason">{l.pauseReason}</div>
          </div>
        ) : (
          <>
            <span className="muted">running</span>
            {l.pauses > 0 ? <div className="pause-reason">{`${formatCount(l.pauses)} pause${l.pauses === 1 ? '' : 's'} so far`}</div> : null}
          </>
        )}
      </td>
      <td>
        <Sparkline
          width={60}
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
