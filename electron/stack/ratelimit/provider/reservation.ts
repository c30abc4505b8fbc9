import type { TimerHandle } from '../../clock/clock';
import type { ListNode } from '../../concurrency/intrusive-list';
import type { Usage } from '../../providers/provider-types';
import type { CallDemand, ProviderBucket } from './provider-buckets';

export interface Charge {
  readonly bucket: ProviderBucket;
  /** Units charged up front (and still charged until reconciled). */
  readonly cost: number;
}

/**
 * What a reservation asks of the limiter that made it. Kept narrow so the Reservation cannot touch the
 * limiter's queue or counters directly.
 */
export interface ReservationOwner {
  /** Applies `delta` units to a bucket: positive refunds, negative charges more. */
  adjust(bucket: ProviderBucket, delta: number): void;
  /** The units a bucket should have been charged for this usage. */
  actual(bucket: ProviderBucket, usage: Usage): number;
  /** Whether a failed call keeps its charge on this bucket (providers count failed requests). */
  keepsChargeOnFailure(bucket: ProviderBucket): boolean;
  /** The reservation was settled: `sent` unless it was cancelled (the call never went out). */
  settled(reservation: Reservation, sent: boolean): void;
}

/**
 * Tokens reserved for one provider call. Settle it exactly once:
 * - `reconcile(usage)` after a successful call: the difference between the reservation and what the call
 *   really used is refunded (or charged, leaving a debt, when the estimate was low);
 * - `fail()` after the call went out and failed: failed requests still count, so the charge mostly stays;
 * - `cancel()` when the call was never sent: everything is refunded.
 * Later calls do nothing, so a finally-block may always call cancel().
 */
export class Reservation implements ListNode<Reservation> {
  prev: Reservation | null = null;
  next: Reservation | null = null;
  linked = false;
  state: 'queued' | 'granted' | 'settled' | 'rejected' = 'queued';
  resolve: ((reservation: Reservation) => void) | null = null;
  reject: ((error: unknown) => void) | null = null;
  signal: AbortSignal | undefined = undefined;
  onAbort: (() => void) | null = null;
  timer: TimerHandle | null = null;
  /** The limiter's first call, sent alone before the provider's buckets are known (first-call-probe.ts). */
  probe = false;

  constructor(
    private readonly owner: ReservationOwner,
    readonly demand: CallDemand,
    /** Set again when the call is admitted (the buckets may have been learned while it waited). */
    public charges: readonly Charge[],
    readonly label: string,
    readonly enqueuedAt: number,
    readonly timeoutMs: number,
  ) {}

  /** Units reserved per bucket, e.g. `{requests: 1, tokens: 1200}`. */
  get reserved(): Record<string, number> {
    return Object.fromEntries(this.charges.map((charge) => [charge.bucket.name, charge.cost]));
  }

  reconcile(usage: Usage | null): void {
    if (!this.settle(true)) return;
    if (usage === null) return; // no usage reported: the reservation stands as the best estimate
    for (const charge of this.charges) {
      const delta = charge.cost - this.owner.actual(charge.bucket, usage);
      if (delta !== 0) this.owner.adjust(charge.bucket, delta);
    }
  }

  fail(): void {
    if (!this.settle(true)) return;
    for (const charge of this.charges) {
      if (!this.owner.keepsChargeOnFailure(charge.bucket) && charge.cost > 0) this.owner.adjust(charge.bucket, charge.cost);
    }
  }

  cancel(): void {
    if (!this.settle(false)) return;
    for (const charge of this.charges) if (charge.cost > 0) this.owner.adjust(charge.bucket, charge.cost);
  }

  private settle(sent: boolean): boolean {
    if (this.state !== 'granted') return false;
    this.state = 'settled';
    this.owner.settled(this, sent);
    return true;
  }
}
