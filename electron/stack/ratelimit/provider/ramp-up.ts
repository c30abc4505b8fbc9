export interface RampUpOptions {
  /** No admission for this long counts as idle. Default 60 s. */
  idleMs: number;
  /** Share of each bucket usable right after idle. Default 0.25. */
  startFraction: number;
  /** Time to grow linearly from startFraction to the whole bucket. Default 30 s. */
  durationMs: number;
}

const DEFAULTS: RampUpOptions = { idleMs: 60_000, startFraction: 0.25, durationMs: 30_000 };

/**
 * Gradual ramp-up after idle (Anthropic answers sharp growth with "acceleration" 429s). After an idle
 * spell — and at first use — only `startFraction` of each bucket may be spent at once; the usable share
 * grows linearly to 100 % over `durationMs`. The limiter enforces it by holding back a floor of
 * capacity × (1 − factor) tokens in every bucket.
 */
export class RampUp {
  private readonly options: RampUpOptions;
  private lastAdmissionAt: number | null = null;
  private startedAt: number | null = null;

  constructor(options: Partial<RampUpOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** The usable share of each bucket at `now`; 1 when not ramping. While idle, the ramp (re)starts. */
  factorAt(now: number): number {
    if (this.isIdle(now)) {
      // The ramp begins with the first admission after idle; until then it keeps starting "now".
      this.startedAt = now;
      return this.options.startFraction;
    }
    if (this.startedAt === null) return 1;
    const factor = this.options.startFraction + ((1 - this.options.startFraction) * (now - this.startedAt)) / this.options.durationMs;
    if (factor >= 1) {
      this.startedAt = null;
      return 1;
    }
    return factor;
  }

  /** For snapshots: the factor while a ramp is under way, null otherwise (including while idle). */
  peek(now: number): number | null {
    if (this.isIdle(now) || this.startedAt === null) return null;
    const factor = this.options.startFraction + ((1 - this.options.startFraction) * (now - this.startedAt)) / this.options.durationMs;
    return factor >= 1 ? null : Math.round(factor * 1000) / 1000;
  }

  private isIdle(now: number): boolean {
    return this.lastAdmissionAt === null || now - this.lastAdmissionAt >= this.options.idleMs;
  }

  noteAdmission(now: number): void {
    this.lastAdmissionAt = now;
  }
}
