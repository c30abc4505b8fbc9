import type { FaultKind } from './faults';

export type SimProvider = 'openai' | 'anthropic';

const RING_SECONDS = 16;
/** Requests per second is averaged over this many completed seconds. */
const RATE_WINDOW_SECONDS = 5;

export interface SimulatorCounters {
  requests: number;
  byProvider: Record<SimProvider, number>;
  /** Responses sent, by HTTP status, as strings for JSON ("200": 1234). */
  byStatus: Record<string, number>;
  rateLimited: number;
  faultsInjected: Record<FaultKind, number>;
  streams: number;
  inFlight: number;
  /** Requests whose client went away before the answer was complete. */
  clientAborts: number;
  /** TCP connections open now, and the most seen at once (what a bounded client pool caps). */
  openConnections: number;
  maxOpenConnections: number;
}

/**
 * The simulator's counters, kept cheap for the hot path: plain increments and a per-second ring for
 * the request rate (indexed by the clock's second, so a ManualClock drives it in tests).
 */
export class SimulatorStats {
  private readonly counters: SimulatorCounters = {
    requests: 0,
    byProvider: { openai: 0, anthropic: 0 },
    byStatus: {},
    rateLimited: 0,
    faultsInjected: { 'server-error': 0, overload: 0, hang: 0, reset: 0, 'stream-error': 0 },
    streams: 0,
    inFlight: 0,
    clientAborts: 0,
    openConnections: 0,
    maxOpenConnections: 0,
  };
  private readonly perSecond = new Float64Array(RING_SECONDS);
  private readonly stamps = new Float64Array(RING_SECONDS).fill(-1);

  arrived(now: number): void {
    this.counters.requests += 1;
    this.counters.inFlight += 1;
    const second = Math.floor(now / 1000);
    const slot = second % RING_SECONDS;
    if (this.stamps[slot] !== second) {
      this.stamps[slot] = second;
      this.perSecond[slot] = 0;
    }
    this.perSecond[slot] = (this.perSecond[slot] ?? 0) + 1;
  }

  routed(provider: SimProvider): void {
    this.counters.byProvider[provider] += 1;
  }

  responded(status: number): void {
    const key = String(status);
    this.counters.byStatus[key] = (this.counters.byStatus[key] ?? 0) + 1;
    if (status === 429) this.counters.rateLimited += 1;
  }

  fault(kind: FaultKind): void {
    this.counters.faultsInjected[kind] += 1;
  }

  streamed(): void {
    this.counters.streams += 1;
  }

  clientAborted(): void {
    this.counters.clientAborts += 1;
  }

  connectionOpened(): void {
    this.counters.openConnections += 1;
    if (this.counters.openConnections > this.counters.maxOpenConnections) this.counters.maxOpenConnections = this.counters.openConnections;
  }

  connectionClosed(): void {
    this.counters.openConnections -= 1;
  }

  finished(): void {
    this.counters.inFlight -= 1;
  }

  /** Average over the last completed seconds (the current, partial second is left out). */
  requestsPerSecond(now: number): number {
    const current = Math.floor(now / 1000);
    let sum = 0;
    for (let s = current - RATE_WINDOW_SECONDS; s < current; s++) {
      const slot = ((s % RING_SECONDS) + RING_SECONDS) % RING_SECONDS;
      if (this.stamps[slot] === s) sum += this.perSecond[slot] ?? 0;
    }
    return sum / RATE_WINDOW_SECONDS;
  }

  counts(): SimulatorCounters {
    return structuredClone(this.counters);
  }

  reset(): void {
    const inFlight = this.counters.inFlight;
    const open = this.counters.openConnections;
    this.counters.requests = 0;
    this.counters.byProvider = { openai: 0, anthropic: 0 };
    this.counters.byStatus = {};
    this.counters.rateLimited = 0;
    for (const kind of Object.keys(this.counters.faultsInjected) as FaultKind[]) this.counters.faultsInjected[kind] = 0;
    this.counters.streams = 0;
    this.counters.clientAborts = 0;
    this.counters.inFlight = inFlight;
    this.counters.openConnections = open;
    this.counters.maxOpenConnections = open;
    this.stamps.fill(-1);
  }
}
