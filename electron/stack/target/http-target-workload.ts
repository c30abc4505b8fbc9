import diagnosticsChannel from 'node:diagnostics_channel';
import { Pool } from 'undici';
import type { TargetSummary } from '../../../shared/contract/stress';
import { parseExpectStatus, targetMethod, type TargetSpec } from '../../../shared/contract/stress-target';
import { LatencyHistogram } from '../../../shared/latency-histogram';
import type { Clock } from '../clock/clock';
import { WorkloadFailure } from '../stress/error-kind';
import type { Arrival } from '../stress/open-model-scheduler';
import { EMPTY_INTERVAL, type StageName, type StressWorkload, type WorkloadInterval } from '../stress/workload';
import { targetFailure } from './classify-target-error';
import { RequestTemplate } from './request-template';
import { sendRequest, type PendingRequest, type SentRequest } from './send-request';

export interface HttpTargetOptions {
  target: TargetSpec;
  clock: Clock;
  /** Connect here instead of the target's own origin (a chaos fault proxy); Host and the TLS name stay the target's. */
  connectOrigin?: string | undefined;
  /** How the target appears in the run record (secrets masked). */
  describedUrl: string;
}

/** What undici publishes on `undici:client:sendHeaders`: the request it wrote to a socket. */
interface SendHeadersMessage {
  request: { origin?: unknown };
}

/**
 * The workload of a run against an HTTP endpoint: each arrival sends one request through a bounded
 * keep-alive pool (undici Pool, `connections` sockets at most; requests beyond them queue in the pool,
 * and their wait counts in their latency because latency runs from the intended start). Per request it
 * records the status, the bytes and the time to first byte — the first event for an SSE stream, the
 * first body chunk otherwise — and classifies failures (refused, reset, timeout, tls, unexpected status).
 * Nothing is kept per request: counters and histograms only.
 */
export class HttpTargetWorkload implements StressWorkload {
  readonly description: string;
  private readonly clock: Clock;
  private readonly pool: Pool;
  private readonly poolOrigin: string;
  private readonly path: string;
  private readonly method: string;
  private readonly headers: Record<string, string>;
  private readonly template: RequestTemplate | null;
  private readonly timeoutMs: number;
  private readonly expected: (status: number) => boolean;
  private readonly ttfb = new LatencyHistogram();
  private readonly secondTtfb = new LatencyHistogram();
  private readonly status: Record<string, number> = {};
  private secondStatus: Record<string, number> = {};
  private bytesIn = 0;
  private secondBytesIn = 0;
  private bytesOut = 0;
  private sent = 0;
  private opened = 0;
  private secondOpened = 0;
  private peakOpen = 0;
  private closed = false;
  private readonly inFlight = new Set<PendingRequest>();
  private readonly now = (): number => this.clock.now();
  private readonly countBytes = (count: number): void => {
    this.bytesIn += count;
    this.secondBytesIn += count;
  };
  private readonly watched = new WeakSet<AbortSignal>();
  private readonly onSendHeaders = (message: unknown): void => {
    if (String((message as SendHeadersMessage).request.origin) === this.poolOrigin) this.sent += 1;
  };

  constructor(private readonly options: HttpTargetOptions) {
    const { target } = options;
    const url = new URL(target.url);
    this.clock = options.clock;
    this.method = targetMethod(target);
    this.path = `${url.pathname}${url.search}`;
    this.timeoutMs = target.timeoutS * 1000;
    const expect = parseExpectStatus(target.expectStatus);
    if (!expect.ok) throw new RangeError(`expectStatus ${expect.problem}`);
    this.expected = expect.matches;
    this.template = target.body === undefined ? null : new RequestTemplate(target.body);
    const hasContentType = Object.keys(target.headers).some((name) => name.toLowerCase() === 'content-type');
    this.headers = { ...target.headers };
    if (this.template && !hasContentType) this.headers['content-type'] = this.template.isJson ? 'application/json' : 'text/plain; charset=utf-8';
    const connectOrigin = options.connectOrigin ?? url.origin;
    if (connectOrigin !== url.origin) this.headers.host = url.host;
    this.poolOrigin = new URL(connectOrigin).origin;
    this.pool = new Pool(this.poolOrigin, {
      connections: target.connections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      // Our own deadline (timeoutS, from the request's start) ends requests; these are only backstops.
      headersTimeout: this.timeoutMs + 5_000,
      bodyTimeout: this.timeoutMs + 5_000,
      connect: {
        timeout: Math.min(this.timeoutMs, 10_000),
        ...(url.protocol === 'https:' && connectOrigin !== url.origin ? { servername: url.hostname } : {}),
      },
    });
    this.pool.on('connect', () => {
      this.opened += 1;
      this.secondOpened += 1;
      this.peakOpen = Math.max(this.peakOpen, this.pool.stats.connected);
    });
    diagnosticsChannel.subscribe('undici:client:sendHeaders', this.onSendHeaders);
    this.description = `HTTP ${this.method} ${options.describedUrl} (${target.connections} connections)`;
  }

  async execute(_workflow: unknown, arrival: Arrival): Promise<void> {
    if (arrival.signal.aborted) throw arrival.signal.reason;
    this.watchStop(arrival.signal);
    const body = this.template?.render(arrival.index);
    if (body !== undefined) this.bytesOut += Buffer.byteLength(body);
    const pending = sendRequest(this.pool, { path: this.path, method: this.method as 'GET', headers: this.headers, body: body ?? null }, this.now, this.countBytes);
    let timedOut = false;
    const timer = this.clock.setTimeout(() => {
      timedOut = true;
      pending.cancel(new DOMException(`timed out after ${this.timeoutMs} ms`, 'TimeoutError'));
    }, this.timeoutMs);
    this.inFlight.add(pending);
    let sent: SentRequest;
    try {
      sent = await pending.done;
    } catch (error) {
      if (arrival.signal.aborted) throw error;
      throw targetFailure(error, timedOut, this.timeoutMs);
    } finally {
      this.clock.clearTimeout(timer);
      this.inFlight.delete(pending);
    }
    this.count(sent.statusCode);
    if (!this.expected(sent.statusCode)) throw new WorkloadFailure('unexpected_status', `HTTP ${sent.statusCode}`);
    const ttfbMs = sent.firstByteAt - arrival.intendedAt;
    this.ttfb.recordMs(ttfbMs);
    this.secondTtfb.recordMs(ttfbMs);
  }

  /**
   * One listener per stop signal (the scheduler hands every arrival the same one), aborting every request
   * in flight. A listener per request would cost O(in flight) each: EventTarget checks for duplicates
   * by walking its list, which at thousands of requests per second made the generator fall behind.
   */
  private watchStop(signal: AbortSignal): void {
    if (this.watched.has(signal)) return;
    this.watched.add(signal);
    signal.addEventListener(
      'abort',
      () => {
        const reason = signal.reason instanceof Error ? signal.reason : new Error('stress run stopped');
        for (const pending of this.inFlight) pending.cancel(reason);
      },
      { once: true },
    );
  }

  private count(statusCode: number): void {
    const key = String(statusCode);
    this.status[key] = (this.status[key] ?? 0) + 1;
    this.secondStatus[key] = (this.secondStatus[key] ?? 0) + 1;
  }

  takeInterval(): WorkloadInterval {
    const connected = this.pool.stats.connected;
    this.peakOpen = Math.max(this.peakOpen, connected);
    const summary = this.secondTtfb.summary();
    const http = {
      ttfbP95Ms: summary.count === 0 ? null : summary.p95,
      ttfbP99Ms: summary.count === 0 ? null : summary.p99,
      bytesIn: this.secondBytesIn,
      statuses: this.secondStatus,
      connections: connected,
      connectionsOpened: this.secondOpened,
    };
    this.secondTtfb.reset();
    this.secondStatus = {};
    this.secondBytesIn = 0;
    this.secondOpened = 0;
    return { ...EMPTY_INTERVAL, http };
  }

  totals(): ReturnType<StressWorkload['totals']> {
    return { http429: this.status['429'] ?? 0, retries: 0, providerCalls: 0, providerName: 'none (HTTP target)', poolMax: null };
  }

  stage(name: StageName): LatencyHistogram | null {
    return name === 'ttfb' ? this.ttfb : null;
  }

  targetSummary(): Omit<TargetSummary, 'ttlb_ms'> {
    const t = this.ttfb.summary();
    return {
      url: this.options.describedUrl,
      method: this.method,
      sent: this.sent,
      status: { ...this.status },
      bytes_in: this.bytesIn,
      bytes_out: this.bytesOut,
      ttfb_ms: { p50: t.p50, p90: t.p90, p95: t.p95, p99: t.p99, max: t.max },
      connections: {
        max: this.options.target.connections,
        peak_open: this.peakOpen,
        opened: this.opened,
        reuse: this.sent === 0 ? 0 : Math.round(Math.max(0, 1 - this.opened / this.sent) * 10_000) / 10_000,
      },
    };
  }

  /** Cuts whatever is still open (the run has settled or abandoned its requests by now). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    diagnosticsChannel.unsubscribe('undici:client:sendHeaders', this.onSendHeaders);
    await this.pool.destroy().catch(() => undefined);
  }
}
