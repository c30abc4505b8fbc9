import { InvalidArgumentError, requirePositiveInteger, requirePositiveNumber } from '../invalid-argument';
import { resolveBounds } from './bounds';
import { clamp, type AlgorithmState, type LimitAlgorithm, type LimitBounds, type LimitSample } from './limit-algorithm';

export interface GradientOptions extends LimitBounds {
  /** Calls averaged into the short-term latency. Default 10. */
  shortWindow?: number;
  /** Calls averaged into the long-term latency (the baseline). Default 200. */
  longWindow?: number;
  /** How much slower than the baseline the short term may get before the limit falls. Default 1.5. */
  rttTolerance?: number;
  /** Share of each new estimate blended into the limit (smooths noise). Default 0.2. */
  smoothing?: number;
  /** Permits allowed on top of what the gradient says, so a queue can form and growth is probed. Default √limit. */
  queueSize?: (limit: number) => number;
  /** Multiplier on a drop (429, overload, timeout). Default 0.9. */
  backoffRatio?: number;
}

/**
 * Exponential moving average over about `window` samples. The first few samples (up to 10) are a plain
 * mean so the average starts where the data is, without a long window turning into a cumulative mean.
 */
const WARMUP_SAMPLES = 10;

class Average {
  private value = 0;
  private count = 0;
  constructor(private readonly window: number) {}
  add(sample: number): number {
    this.count += 1;
    const weight = this.count <= Math.min(this.window, WARMUP_SAMPLES) ? 1 / this.count : 2 / (this.window + 1);
    this.value += (sample - this.value) * weight;
    return this.value;
  }
  get current(): number | null {
    return this.count === 0 ? null : this.value;
  }
  scale(by: number): void {
    this.value *= by;
  }
}

/**
 * A latency gradient, after Netflix's Gradient2: compare the short-term average latency with a long-term
 * baseline. gradient = clamp(tolerance × long / short, 0.5, 1); the new limit is limit × gradient + queueSize,
 * blended in with `smoothing`. While latency sits at the baseline the gradient is 1 and the queue
 * allowance lets the limit grow; when the downstream saturates, short-term latency rises, the gradient
 * falls below 1 and so does the limit. The baseline drifts towards a lower short term on its own, but
 * when the short term sits far below it (the downstream got faster, or the baseline learned an overload)
 * it is pulled down faster. A drop (429, overload) is a harder signal and backs off at once, like AIMD.
 * Growth is skipped while fewer than half the permits are used: an idle limit says nothing.
 */
export class GradientAlgorithm implements LimitAlgorithm {
  readonly name = 'gradient' as const;
  readonly min: number;
  readonly max: number;
  private estimate: number;
  private readonly shortRtt: Average;
  private readonly longRtt: Average;
  private readonly tolerance: number;
  private readonly smoothing: number;
  private readonly backoffRatio: number;
  private readonly queueSize: (limit: number) => number;
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;

  constructor(options: GradientOptions = {}) {
    const bounds = resolveBounds('Gradient', options);
    this.min = bounds.min;
    this.max = bounds.max;
    this.estimate = bounds.initial;
    this.shortRtt = new Average(requirePositiveInteger('Gradient: shortWindow', options.shortWindow ?? 10));
    this.longRtt = new Average(requirePositiveInteger('Gradient: longWindow', options.longWindow ?? 200));
    this.tolerance = requirePositiveNumber('Gradient: rttTolerance', options.rttTolerance ?? 1.5);
    this.smoothing = requirePositiveNumber('Gradient: smoothing', options.smoothing ?? 0.2);
    if (this.smoothing > 1) throw new InvalidArgumentError('Gradient: smoothing', `must be at most 1, got ${this.smoothing}.`);
    this.backoffRatio = options.backoffRatio ?? 0.9;
    if (!(this.backoffRatio > 0 && this.backoffRatio < 1)) {
      throw new InvalidArgumentError('Gradient: backoffRatio', `must be between 0 and 1 (exclusive), got ${String(options.backoffRatio)}.`);
    }
    this.queueSize = options.queueSize ?? ((limit) => Math.sqrt(limit));
  }

  get limit(): number {
    return this.estimate;
  }

  update(sample: LimitSample): number {
    if (sample.dropped) {
      if (sample.startedAt >= this.lastDecreaseAt) {
        this.estimate = clamp(this.estimate * this.backoffRatio, this.min, this.max);
        this.lastDecreaseAt = sample.now;
      }
      return this.estimate; // a failed call's latency is not the downstream's service time
    }
    const shortRtt = this.shortRtt.add(sample.rttMs);
    let longRtt = this.longRtt.add(sample.rttMs);
    // A baseline twice the short term is stale (learned under overload, or the downstream got faster).
    if (shortRtt > 0 && longRtt / shortRtt > 2) {
      this.longRtt.scale(0.95);
      longRtt *= 0.95;
    }
    if (sample.inFlight * 2 < this.estimate) return this.estimate; // app-limited: no evidence either way
    // Calls faster than the clock can tell (0 ms) show no queueing at all.
    const gradient = shortRtt > 0 ? clamp((this.tolerance * longRtt) / shortRtt, 0.5, 1) : 1;
    const target = this.estimate * gradient + this.queueSize(this.estimate);
    this.estimate = clamp(this.estimate * (1 - this.smoothing) + target * this.smoothing, this.min, this.max);
    return this.estimate;
  }

  state(): AlgorithmState {
    return { shortRttMs: this.shortRtt.current, longRttMs: this.longRtt.current };
  }
}
