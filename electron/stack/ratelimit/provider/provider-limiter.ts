/**
 * Provider limiter: paces calls to OpenAI or Anthropic so they stay inside the account's limits, adapts to
 * what every response says about those limits, and stops the whole herd when the provider pushes back.
 *
 * How an HTTP client uses it (electron/stack/providers implements exactly this through ProviderGovernor):
 *
 *   const reservation = await limiter.reserve({ estimatedInputTokens, maxOutputTokens, signal, label });
 *   try {
 *     const response = await send();                        // the HTTP call, SDK retries off
 *     limiter.observeResponse(response.status, response.headers, bodyTextIfError);
 *     reservation.reconcile(usage);                         // refund or charge the difference
 *   } catch (error) {
 *     limiter.observeError(providerError);                  // 429 → pause everyone; 529 → global backoff
 *     reservation.fail();                                   // failed calls still count
 *     throw error;                                          // the one retry loop decides (retry-loop.ts)
 *   }
 *
 * or, with the providers' seam: `limiter.acquire(estimate, signal)` → `permit.settle(outcome)`.
 *
 * Rules (docs/provider-rate-limit-headers.md): a reservation waits, first come first served, until every
 * bucket holds its cost; a cost above a whole per-minute limit is rejected at once ("Request too large",
 * never sent); each response's headers lower the buckets to what the provider says is left, teach limits
 * and the effective burst (a bucket may hold only seconds of the per-minute rate: effective-burst.ts);
 * the first call goes alone until headers arrive; a 429 pauses the whole limiter until retry-after; a 529
 * pauses it with exponential backoff; after idle, Anthropic limiters ramp up against the effective burst.
 */
import type { LimiterSnapshot } from '../../../../shared/contract/concurrency';
import { systemClock, type Clock, type TimerHandle } from '../../clock/clock';
import { abortErrorFor, ClosedError, QueueFullError, TimeoutError } from '../../concurrency/errors';
import { requireQueueBound } from '../../concurrency/invalid-argument';
import { IntrusiveList } from '../../concurrency/intrusive-list';
import type { CallEstimate, CallOutcome, CallPermit, ProviderGovernor } from '../../providers/call-pipeline';
import { classifyHttpError } from '../../providers/classify-error';
import type { ProviderError } from '../../providers/provider-error';
import { parseRateLimitHeaders } from '../../providers/rate-limit-headers';
import type { ProviderName, Usage } from '../../providers/provider-types';
import { MemoryLimiterStore, type LimiterStore } from '../limiter-store';
import {
  actualOf,
  BUCKETS_OF,
  configuredPerMinute,
  makeBucket,
  type BucketName,
  type CallDemand,
  type OutputAccounting,
  type ProviderBucket,
} from './provider-buckets';
import { certainCost, chargesFor } from './call-charges';
import { holdBack } from './effective-burst';
import { FirstCallProbe } from './first-call-probe';
import { PromptEstimateCalibration } from './prompt-estimate-calibration';
import { adaptToHeaders, overloadPauseMs, pauseForRateLimit } from './provider-adaptation';
import { ProviderLimiterStats } from './provider-limiter-stats';
import type { ProviderLimiterOptions, ReserveOptions } from './provider-limiter-options';
import { RampUp } from './ramp-up';
import { Reservation, type Charge } from './reservation';

export type { ProviderLimiterOptions, ReserveOptions } from './provider-limiter-options';

const MAX_TIMER_MS = 2_147_483_647;

export class ProviderLimiter implements ProviderGovernor {
  readonly name: string;
  readonly provider: ProviderName;
  readonly kind: ProviderName;
  private readonly clock: Clock;
  private readonly store: LimiterStore;
  private readonly scope: string;
  private readonly buckets = new Map<string, ProviderBucket>();
  private readonly queue = new IntrusiveList<Reservation>();
  private readonly maxQueued: number;
  private readonly outputAccounting: OutputAccounting;
  private readonly rampUp: RampUp | null;
  private readonly probe: FirstCallProbe;
  private readonly promptEstimates = new PromptEstimateCalibration();
  private readonly stats: ProviderLimiterStats;
  private readonly options: ProviderLimiterOptions;
  private localPauseUntil = 0;
  private pauseReason: string | null = null;
  private overloadStreak = 0;
  private timer: TimerHandle | null = null;
  private pumping = false;
  private pumpAgain = false;
  private closed = false;

  constructor(options: ProviderLimiterOptions) {
    this.options = options;
    this.name = options.name;
    this.provider = options.provider;
    this.kind = options.provider;
    this.clock = options.clock ?? systemClock;
    this.store = options.store ?? new MemoryLimiterStore(this.clock);
    this.scope = options.scope ?? options.name;
    this.maxQueued = requireQueueBound(`${options.name}: maxQueued`, options.maxQueued ?? 10_000);
    this.outputAccounting = options.outputAccounting ?? 'reserve-max';
    const rampDefault = options.provider === 'anthropic' ? {} : false;
    const ramp = options.rampUp === undefined ? rampDefault : options.rampUp;
    this.rampUp = ramp === false ? null : new RampUp(ramp);
    this.probe = new FirstCallProbe(options.probeFirstCall ?? true);
    this.stats = new ProviderLimiterStats(this.clock.now());
    for (const name of BUCKETS_OF[options.provider]) {
      const perMinute = configuredPerMinute(options.limits ?? {}, name);
      if (perMinute !== null) this.buckets.set(name, makeBucket(this.scope, name, perMinute, 'config'));
    }
  }

  /** Waits until the call fits every bucket, then holds its reservation until settled. */
  reserve(options: ReserveOptions): Promise<Reservation> {
    const now = this.clock.now();
    if (this.closed) return Promise.reject(new ClosedError(this.name));
    const demand: CallDemand = { estimatedInputTokens: options.estimatedInputTokens, maxOutputTokens: options.maxOutputTokens };
    const charges = this.chargesFor(demand);
    if (!Array.isArray(charges)) {
      this.stats.rejected += 1;
      return Promise.reject(charges);
    }
    const signal = options.signal;
    const timeoutMs = options.timeoutMs ?? 0;
    if (signal?.aborted) return Promise.reject(abortErrorFor(`Waiting for ${this.name}`, signal, timeoutMs));
    if (this.queue.size >= this.maxQueued) {
      this.stats.rejected += 1;
      return Promise.reject(new QueueFullError(this.name, this.maxQueued));
    }
    const reservation = new Reservation(this.owner, demand, charges, options.label ?? '', now, timeoutMs);
    const granted = new Promise<Reservation>((resolve, reject) => {
      reservation.resolve = resolve;
      reservation.reject = reject;
    });
    this.queue.push(reservation);
    this.stats.noteQueued(this.queue.size);
    if (signal) {
      reservation.signal = signal;
      reservation.onAbort = () => this.cancelQueued(reservation, abortErrorFor(`Waiting for ${this.name}`, signal, timeoutMs));
      signal.addEventListener('abort', reservation.onAbort, { once: true });
    }
    if (timeoutMs > 0) {
      reservation.timer = this.clock.setTimeout(() => this.cancelQueued(reservation, new TimeoutError(`Waiting for ${this.name}`, timeoutMs)), timeoutMs);
    }
    void this.pump();
    return granted;
  }

  /** ProviderGovernor: what the providers' client calls around each HTTP attempt. */
  async acquire(estimate: CallEstimate, signal: AbortSignal | undefined): Promise<CallPermit> {
    const reservation = await this.reserve({
      estimatedInputTokens: estimate.inputTokens,
      maxOutputTokens: estimate.maxOutputTokens,
      signal,
      label: estimate.model,
    });
    return {
      settle: (outcome: CallOutcome) => {
        if (outcome.ok) {
          const usage = outcome.usage;
          this.observeHeaders(outcome.headers, outcome.status, certainCost(this.provider, reservation.charges, usage));
          if (usage) this.promptEstimates.observe(estimate.inputTokens, usage.inputTokens + usage.cacheCreationTokens + usage.cacheReadTokens);
          reservation.reconcile(usage);
        } else {
          this.observeError(outcome.error);
          // Even a cancelled call may have reached the provider, and failed calls count: keep the charge.
          reservation.fail();
        }
      },
    };
  }

  /**
   * For clients without ProviderErrors: any response. Adapts to its headers and, for an error status,
   * classifies the body and reacts as observeError does. Returns the classified error (or null on success).
   */
  observeResponse(status: number, headers: Readonly<Record<string, string>>, bodyText = ''): ProviderError | null {
    const lower = Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
    if (status < 400) {
      this.observeHeaders(lower, status);
      return null;
    }
    const error = classifyHttpError(this.provider, status, lower, bodyText, this.clock.now(), (text) => text);
    this.observeError(error);
    return error;
  }

  /** Learns from a successful response's rate-limit headers. */
  observeHeaders(headers: Readonly<Record<string, string>>, status = 200, ownCost?: (bucket: BucketName) => number): void {
    const now = this.clock.now();
    if (status < 400) this.overloadStreak = 0;
    const parsed = parseRateLimitHeaders(this.provider, headers, now);
    if (!parsed) return;
    this.probe.noteHeaders();
    adaptToHeaders(this.adaptation, parsed, now, ownCost);
  }

  /** Reacts to a failed call: 429 pauses everyone, 529 backs everyone off; headers are learned too. */
  observeError(error: ProviderError): void {
    const now = this.clock.now();
    const parsed = parseRateLimitHeaders(this.provider, error.headers, now);
    if (parsed) {
      this.probe.noteHeaders();
      adaptToHeaders(this.adaptation, parsed, now);
    }
    this.stats.lastError = error.message;
    if (error.kind === 'rate_limited') {
      this.stats.http429 += 1;
      const pause = pauseForRateLimit(error, parsed, this.options.defaultPauseMs ?? 1000);
      for (const name of pause.exhausted) {
        const bucket = this.buckets.get(name);
        if (bucket) this.owner.capAt(bucket, 0);
      }
      this.pause(now + pause.ms, `429 ${error.providerType ?? 'rate limit'}: ${pause.why}`);
    } else if (error.kind === 'overloaded') {
      this.stats.http529 += 1;
      this.overloadStreak += 1;
      const ms = overloadPauseMs(this.overloadStreak, error, this.options.overloadBackoff, this.options.random ?? Math.random);
      this.pause(now + ms, `provider overloaded (529 ×${this.overloadStreak}): backing off ${Math.round(ms)} ms`);
    }
  }

  /** Counts a retry made by the retry loop on behalf of this limiter (for the Limiters page). */
  noteRetry(): void {
    this.stats.retries += 1;
  }

  get queued(): number {
    return this.queue.size;
  }

  /** Pauses every caller until `until` (extends, never shortens), here and in a shared store. */
  pause(until: number, reason: string): void {
    if (until > this.localPauseUntil) {
      // A pause that starts (not one extended while it lasts) counts once: the Limiters page shows how
      // often callers were held back, not only whether they are at the moment of a snapshot.
      if (this.localPauseUntil <= this.clock.now()) this.stats.pauses += 1;
      this.localPauseUntil = until;
      this.pauseReason = reason;
    }
    this.store.pauseUntil(this.scope, until).catch((error: unknown) => this.options.onError?.(error));
    this.schedulePump(until - this.clock.now());
  }

  snapshot(): LimiterSnapshot {
    const now = this.clock.now();
    const pausedUntil = this.localPauseUntil > now ? this.localPauseUntil : null;
    const levels = this.stats.levels(this.store, [...this.buckets.values()], now, this.options.onError);
    return this.stats.snapshot({
      name: this.name,
      kind: this.kind,
      buckets: [...this.buckets.values()],
      levels,
      queued: this.queue.size,
      now,
      pausedUntil,
      pauseReason: pausedUntil === null ? null : this.pauseReason,
      rampFactor: this.rampUp?.peek(now) ?? null,
    });
  }

  /** Rejects every waiting reservation with ClosedError; granted ones can still be settled. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
    for (let head = this.queue.shift(); head !== null; head = this.queue.shift()) this.finishQueued(head, new ClosedError(this.name));
  }

  /** The narrow interface reservations and header adaptation work through. */
  private readonly owner = {
    adjust: (bucket: ProviderBucket, delta: number): void => {
      this.store.adjust(bucket.spec, delta, this.clock.now()).then(
        () => delta > 0 && this.queue.size > 0 && void this.pump(),
        (error: unknown) => this.options.onError?.(error),
      );
    },
    capAt: (bucket: ProviderBucket, remaining: number): void => {
      this.store.capAt(bucket.spec, remaining, this.clock.now()).catch((error: unknown) => this.options.onError?.(error));
    },
    actual: (bucket: ProviderBucket, usage: Usage): number => actualOf(this.provider, bucket.name, usage),
    // Both providers count failed requests; Anthropic output tokens were never generated by a failed call.
    keepsChargeOnFailure: (bucket: ProviderBucket): boolean => !(this.provider === 'anthropic' && bucket.name === 'output-tokens'),
    settled: (reservation: Reservation, sent: boolean): void => {
      if (!reservation.probe) return;
      this.probe.noteSettled(sent);
      if (this.queue.size > 0) void this.pump();
    },
  };

  private readonly adaptation = {
    provider: () => this.provider,
    scope: () => this.scope,
    buckets: this.buckets,
    capAt: this.owner.capAt,
    onBucketsChanged: () => void this.pump(),
  };

  /** Costs with the calibrated prompt estimate (prompt-estimate-calibration.ts), see call-charges.ts. */
  private chargesFor(demand: CallDemand): Charge[] | ProviderError {
    const scaled = { ...demand, estimatedInputTokens: this.promptEstimates.scale(demand.estimatedInputTokens) };
    return chargesFor(this.provider, this.name, this.buckets.values(), scaled, this.outputAccounting);
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        await this.admitWhilePossible();
      } while (this.pumpAgain && !this.closed);
    } catch (error) {
      this.options.onError?.(error);
      this.schedulePump(this.options.maxPollMs ?? 1000);
    } finally {
      this.pumping = false;
    }
  }

  private async admitWhilePossible(): Promise<void> {
    for (let head = this.queue.head; head !== null && !this.closed; head = this.queue.head) {
      const now = this.clock.now();
      const pausedUntil = Math.max(this.localPauseUntil, await this.store.pausedUntil(this.scope));
      if (pausedUntil > now) {
        this.schedulePump(pausedUntil - now);
        return;
      }
      const probeWait = this.probe.msUntilAdmits(now);
      if (probeWait > 0) {
        this.schedulePump(probeWait); // the first call's settlement or headers pump sooner
        return;
      }
      const charges = this.chargesFor(head.demand);
      if (!Array.isArray(charges)) {
        this.stats.rejected += 1;
        this.queue.remove(head);
        this.finishQueued(head, charges);
        continue;
      }
      head.charges = charges;
      const factor = this.rampUp?.factorAt(now) ?? 1;
      const requests = head.charges.map((charge) => ({
        spec: charge.bucket.spec,
        cost: charge.cost,
        floor: holdBack(charge.bucket.spec.capacity, charge.cost, factor),
      }));
      const result = await this.store.tryTakeAll(requests, now);
      if (!result.ok) {
        // Ramp-up frees capacity continuously, and a shared store may get tokens back from other processes.
        let wait = result.waitMs;
        if (factor < 1) wait = Math.min(wait, 250);
        if (this.store.shared) wait = Math.min(wait, this.options.maxPollMs ?? 1000);
        this.schedulePump(wait);
        return;
      }
      if (head.state !== 'queued') {
        // Cancelled while the store answered: give its tokens back.
        for (const charge of head.charges) if (charge.cost > 0) this.owner.adjust(charge.bucket, charge.cost);
        continue;
      }
      this.queue.remove(head);
      head.probe = this.probe.noteAdmission(now);
      this.rampUp?.noteAdmission(now);
      this.stats.noteAdmitted(now - head.enqueuedAt, now);
      const resolve = head.resolve!;
      this.detach(head);
      head.state = 'granted';
      resolve(head);
    }
  }

  private schedulePump(ms: number): void {
    if (this.closed) return;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = null;
        void this.pump();
      },
      Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(ms))),
    );
  }

  private cancelQueued(reservation: Reservation, error: unknown): void {
    const wasHead = this.queue.head === reservation;
    if (!this.queue.remove(reservation)) return;
    if (error instanceof TimeoutError) this.stats.timeouts += 1;
    this.finishQueued(reservation, error);
    if (wasHead) void this.pump();
  }

  private finishQueued(reservation: Reservation, error: unknown): void {
    const reject = reservation.reject;
    this.detach(reservation);
    reservation.state = 'rejected';
    reject?.(error);
  }

  private detach(reservation: Reservation): void {
    if (reservation.timer) this.clock.clearTimeout(reservation.timer);
    if (reservation.onAbort) reservation.signal?.removeEventListener('abort', reservation.onAbort);
    reservation.timer = null;
    reservation.onAbort = null;
    reservation.resolve = null;
    reservation.reject = null;
  }
}
