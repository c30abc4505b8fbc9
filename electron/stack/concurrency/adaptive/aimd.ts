import { requireNonNegativeNumber, requirePositiveNumber, InvalidArgumentError } from '../invalid-argument';
import { resolveBounds } from './bounds';
import { clamp, type AlgorithmState, type LimitAlgorithm, type LimitBounds, type LimitSample } from './limit-algorithm';

export interface AimdOptions extends LimitBounds {
  /** Multiplier on a drop (429, overload, timeout). Default 0.9: lose 10 % and probe back up. */
  backoffRatio?: number;
  /** Permits added per full window of successful calls (a window = `limit` calls, ~one round trip). Default 1. */
  increasePerWindow?: number;
  /** A call slower than this counts as a drop, as a timeout would. 0 = off. Default 0. */
  timeoutMs?: number;
}

/**
 * Additive increase, multiplicative decrease — TCP Reno's congestion avoidance for a concurrency limit.
 * Each successful call adds increasePerWindow / limit (so the limit grows by about one per round trip of
 * `limit` calls); a drop multiplies it by backoffRatio. A burst of drops caused by one overshoot is one
 * signal, not many: only calls that started after the last decrease can decrease it again, otherwise a
 * single overload would drive the limit to its floor. Growth is skipped while fewer than half the permits
 * are in use, because a limit nobody reaches says nothing about the downstream.
 */
export class AimdAlgorithm implements LimitAlgorithm {
  readonly name = 'aimd' as const;
  readonly min: number;
  readonly max: number;
  private estimate: number;
  private readonly backoffRatio: number;
  private readonly increasePerWindow: number;
  private readonly timeoutMs: number;
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;

  constructor(options: AimdOptions = {}) {
    const bounds = resolveBounds('AIMD', options);
    this.min = bounds.min;
    this.max = bounds.max;
    this.estimate = bounds.initial;
    this.backoffRatio = options.backoffRatio ?? 0.9;
    if (!(this.backoffRatio > 0 && this.backoffRatio < 1)) {
      throw new InvalidArgumentError('AIMD: backoffRatio', `must be between 0 and 1 (exclusive), got ${String(options.backoffRatio)}.`);
    }
    this.increasePerWindow = requirePositiveNumber('AIMD: increasePerWindow', options.increasePerWindow ?? 1);
    this.timeoutMs = requireNonNegativeNumber('AIMD: timeoutMs', options.timeoutMs ?? 0);
  }

  get limit(): number {
    return this.estimate;
  }

  update(sample: LimitSample): number {
    const dropped = sample.dropped || (this.timeoutMs > 0 && sample.rttMs > this.timeoutMs);
    if (dropped) {
      if (sample.startedAt >= this.lastDecreaseAt) {
        this.estimate = clamp(this.estimate * this.backoffRatio, this.min, this.max);
        this.lastDecreaseAt = sample.now;
      }
    } else if (sample.inFlight * 2 >= this.estimate) {
      this.estimate = clamp(this.estimate + this.increasePerWindow / this.estimate, this.min, this.max);
    }
    return this.estimate;
  }

  state(): AlgorithmState {
    return { shortRttMs: null, longRttMs: null };
  }
}
