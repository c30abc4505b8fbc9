import { z } from 'zod';
import type { Clock, TimerHandle } from '../../clock/clock';
import { BulkheadError } from '../../errors';

/**
 * Switchable faults, the chaos experiments' levers. Each kind is on with a probability per request
 * (`rate`, 1 = every request) either until cleared or for `durationMs`. Expiry is checked against the
 * simulator's clock when a request asks, so a ManualClock test sees faults end exactly on time.
 *
 * - server-error: the provider fails the request (500 by default; 502/503 selectable)
 * - overload:     Anthropic 529 overloaded_error; OpenAI has no 529 and answers 503 "overloaded"
 * - hang:         the request gets no answer while the fault lasts, then proceeds (Toxiproxy timeout=0)
 * - reset:        the TCP connection is reset (RST) instead of an answer
 * - stream-error: a streamed answer stops halfway with the provider's mid-stream error event
 */
export const FAULT_KINDS = ['server-error', 'overload', 'hang', 'reset', 'stream-error'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const FaultSettingSchema = z
  .object({
    kind: z.enum(FAULT_KINDS),
    rate: z.number().min(0).max(1).default(1),
    durationMs: z.number().finite().positive().optional().describe('omit to keep it on until cleared'),
    status: z.union([z.literal(500), z.literal(502), z.literal(503)]).optional().describe('server-error only'),
  })
  .strict();
export type FaultSetting = z.input<typeof FaultSettingSchema>;

interface ActiveFault {
  readonly kind: FaultKind;
  readonly rate: number;
  readonly until: number | null;
  readonly status: 500 | 502 | 503;
  readonly timer: TimerHandle | null;
}

export interface FaultSnapshot {
  kind: FaultKind;
  rate: number;
  /** Milliseconds left, or null when on until cleared. */
  remainingMs: number | null;
  status?: number;
}

export class FaultController {
  private readonly active = new Map<FaultKind, ActiveFault>();
  private readonly hangWaiters = new Set<() => void>();
  /** Bumped on every change so hot paths can skip the map when nothing is on. */
  private anyActive = false;

  constructor(private readonly clock: Clock) {}

  set(setting: FaultSetting): void {
    const result = FaultSettingSchema.safeParse(setting);
    if (!result.success) {
      const detail = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
      throw new BulkheadError('simulator.invalid_fault', `Invalid simulator fault — ${detail}.`, {
        remedy: `kind is one of ${FAULT_KINDS.join(', ')}; rate is between 0 and 1; durationMs is positive or omitted.`,
      });
    }
    const parsed = result.data;
    this.clear(parsed.kind);
    const until = parsed.durationMs === undefined ? null : this.clock.now() + parsed.durationMs;
    // Only a hang needs a timer: its waiters must be released when it ends. Others expire lazily.
    const timer =
      parsed.kind === 'hang' && parsed.durationMs !== undefined
        ? this.clock.setTimeout(() => this.clear('hang'), parsed.durationMs)
        : null;
    timer?.unref?.();
    this.active.set(parsed.kind, { kind: parsed.kind, rate: parsed.rate, until, status: parsed.status ?? 500, timer });
    this.anyActive = true;
  }

  /** Clears one kind, or every fault when no kind is given. Hung requests proceed. */
  clear(kind?: FaultKind): void {
    const kinds = kind ? [kind] : [...this.active.keys()];
    for (const k of kinds) {
      const fault = this.active.get(k);
      if (!fault) continue;
      if (fault.timer) this.clock.clearTimeout(fault.timer);
      this.active.delete(k);
      if (k === 'hang') this.releaseHung();
    }
    this.anyActive = this.active.size > 0;
  }

  /** The fault of this kind if it is on now (expired ones are dropped). */
  get(kind: FaultKind): ActiveFault | undefined {
    if (!this.anyActive) return undefined;
    const fault = this.active.get(kind);
    if (!fault) return undefined;
    if (fault.until !== null && this.clock.now() >= fault.until) {
      this.clear(kind);
      return undefined;
    }
    return fault;
  }

  /** Whether this request is hit: draws from `random` only when the fault is on, so a quiet run's sequence is unaffected. */
  hits(kind: FaultKind, random: () => number): ActiveFault | undefined {
    const fault = this.get(kind);
    if (!fault) return undefined;
    if (fault.rate >= 1) return fault;
    return random() < fault.rate ? fault : undefined;
  }

  /**
   * Resolves when the hang fault ends (cleared or expired), or at once if none is on. Resolves early
   * when `signal` aborts (the client went away), so a given-up request is not counted as hung.
   */
  waitForHangToEnd(signal: AbortSignal): Promise<void> {
    if (!this.get('hang') || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.hangWaiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.hangWaiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  get hungRequests(): number {
    return this.hangWaiters.size;
  }

  snapshot(): FaultSnapshot[] {
    const now = this.clock.now();
    const out: FaultSnapshot[] = [];
    for (const kind of FAULT_KINDS) {
      const fault = this.get(kind);
      if (!fault) continue;
      out.push({
        kind,
        rate: fault.rate,
        remainingMs: fault.until === null ? null : Math.max(0, fault.until - now),
        ...(kind === 'server-error' ? { status: fault.status } : {}),
      });
    }
    return out;
  }

  /** Stops timers and lets hung requests go (the server closes their sockets anyway). */
  dispose(): void {
    this.clear();
  }

  private releaseHung(): void {
    const waiters = [...this.hangWaiters];
    this.hangWaiters.clear();
    for (const release of waiters) release();
  }
}
