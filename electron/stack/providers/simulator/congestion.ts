import { z } from 'zod';

/**
 * A provider that gets slower, then refuses, as more requests run at once — the behaviour an adaptive
 * concurrency limit has to find on its own. Off by default (the simulator then answers at its latency
 * settings whatever the concurrency).
 *
 * - Up to `knee` requests in flight are served at the configured latency.
 * - Beyond the knee each request's latency is multiplied by 1 + slope × (inFlight − knee) / knee, read
 *   when it is admitted: with slope > 1 throughput falls past the knee (a GPU batch thrashing), with
 *   slope = 1 it stays flat (fair sharing).
 * - At `cliff` requests in flight a new one is refused as overloaded (OpenAI 503, Anthropic 529).
 * - `capacityChanges` scale knee and cliff from a time on (since start or the last reset), e.g.
 *   `[{ atMs: 30000, factor: 0.5 }]` halves the capacity 30 s in.
 */
export const CongestionSchema = z
  .object({
    enabled: z.boolean(),
    knee: z.number().int().min(1).describe('requests in flight served at the configured latency'),
    slope: z.number().finite().min(0).describe('latency added per knee-worth of requests past the knee (1 = fair sharing)'),
    cliff: z.number().int().min(0).describe('requests in flight at which new ones are refused as overloaded; 0 = never'),
    capacityChanges: z
      .array(z.object({ atMs: z.number().finite().min(0), factor: z.number().finite().positive() }).strict())
      .max(32)
      .describe('scale knee and cliff by factor from atMs (since start or reset) on'),
  })
  .strict();
export type CongestionSettings = z.infer<typeof CongestionSchema>;

export const DEFAULT_CONGESTION: CongestionSettings = { enabled: false, knee: 16, slope: 2, cliff: 48, capacityChanges: [] };

export type CongestionAdmission =
  | { ok: true; latencyFactor: number; inFlight: number; release: () => void }
  | { ok: false; inFlight: number; cliff: number };

export interface CongestionSnapshot {
  enabled: boolean;
  inFlight: number;
  knee: number;
  cliff: number;
  capacityFactor: number;
  overloaded: number;
}

/** The running state of the congestion model: requests in flight and the capacity now. */
export class CongestionModel {
  private inFlight = 0;
  private overloaded = 0;

  constructor(
    private readonly settings: () => CongestionSettings,
    private epoch: number,
  ) {}

  /** The capacity factor in force at `now` (the last change whose time has come). */
  capacityFactor(now: number): number {
    const elapsed = now - this.epoch;
    let factor = 1;
    let latestAt = Number.NEGATIVE_INFINITY;
    for (const change of this.settings().capacityChanges) {
      if (change.atMs <= elapsed && change.atMs >= latestAt) {
        factor = change.factor;
        latestAt = change.atMs;
      }
    }
    return factor;
  }

  /** Admits one request (or refuses it past the cliff); the caller must call release() when it is answered. */
  admit(now: number): CongestionAdmission {
    const settings = this.settings();
    if (!settings.enabled) return { ok: true, latencyFactor: 1, inFlight: 0, release: noop };
    const { knee, cliff } = this.capacity(settings, now);
    if (cliff > 0 && this.inFlight >= cliff) {
      this.overloaded += 1;
      return { ok: false, inFlight: this.inFlight, cliff };
    }
    this.inFlight += 1;
    const inFlight = this.inFlight;
    const latencyFactor = inFlight <= knee ? 1 : 1 + (settings.slope * (inFlight - knee)) / knee;
    let released = false;
    return {
      ok: true,
      latencyFactor,
      inFlight,
      release: () => {
        if (released) return;
        released = true;
        this.inFlight -= 1;
      },
    };
  }

  /** Starts the capacity schedule again from `now` (between runs). Requests in flight stay counted. */
  reset(now: number): void {
    this.epoch = now;
    this.overloaded = 0;
  }

  snapshot(now: number): CongestionSnapshot {
    const settings = this.settings();
    const { knee, cliff } = this.capacity(settings, now);
    return { enabled: settings.enabled, inFlight: this.inFlight, knee, cliff, capacityFactor: this.capacityFactor(now), overloaded: this.overloaded };
  }

  private capacity(settings: CongestionSettings, now: number): { knee: number; cliff: number } {
    const factor = this.capacityFactor(now);
    return {
      knee: Math.max(1, Math.round(settings.knee * factor)),
      cliff: settings.cliff > 0 ? Math.max(1, Math.round(settings.cliff * factor)) : 0,
    };
  }
}

function noop(): void {}
