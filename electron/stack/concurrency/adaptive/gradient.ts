import { InvalidArgumentError, requirePositiveInteger, requirePositiveNumber } from '../invalid-argument';
import { resolveBounds } from './bounds';
import { clamp, type AlgorithmState, type LimitAlgorithm, type LimitBounds, type LimitSample } from './limit-algorithm';

export interface GradientOptions extends LimitBounds {
  /** Calls a measurement window needs at least (it also lasts at least one round trip). Default 10. */
  minWindowSamples?: number;
  /** Windows averaged into the long-term latency (the baseline) as it rises. Default 600. */
  longWindow?: number;
  /** How much slower than the baseline the short term may get before the limit falls. Default 1.3 (Netflix uses 1.5; see docs/adaptive-concurrency.md). */
  rttTolerance?: number;
  /** Share of each window's new estimate blended into the limit (smooths noise). Default 0.2. */
  smoothing?: number;
  /** Permits allowed on top of what the gradient says, so a queue can form and growth is probed. Default 4. */
  queueSize?: (limit: number) => number;
  /** Multiplier on a drop (429, overload, timeout). Default 0.9. */
  backoffRatio?: number;
}

/**
 * A latency gradient, after Netflix's Gradient2: compare the short-term latency (the mean of one
 * measurement window, about one round trip of calls) with a long-term baseline. Once per window:
 * gradient = clamp(tolerance × long / short, 0.5, 1), the new limit is limit × gradient + queueSize,
 * blended in with `smoothing`. While latency sits at the baseline the gradient is 1 and the queue
 * allowance lets the limit grow; when the downstream saturates, short-term latency rises, the gradient
 * falls below 1 and so does the limit. Updating once per window rather than per call matters: the
 * latency of a change only shows a round trip later, and per-call updates overshoot and oscillate.
 *
 * Until the first window that shows congestion (or a drop) the limit doubles per window — TCP's slow
 * start — so a limit that starts low finds the neighbourhood in a few round trips instead of dozens.
 * Unlike Gradient2 the baseline falls at once to a faster window (a congested spell is not kept as
 * "normal") and rises only over longWindow windows. A drop (429, overload) is a harder signal and
 * backs off at once, like AIMD. A window in which fewer than half the permits were used does not move
 * the limit: a limit nobody reaches says nothing about the downstream.
 */
export class GradientAlgorithm implements LimitAlgorithm {
  readonly name = 'gradient' as const;
  readonly min: number;
  readonly max: number;
  private estimate: number;
  private readonly minWindowSamples: number;
  private readonly longWeight: number;
  private readonly tolerance: number;
  private readonly smoothing: number;
  private readonly backoffRatio: number;
  private readonly queueSize: (limit: number) => number;
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;
  private shortRtt: number | null = null;
  private longRtt: number | null = null;
  /** Until the first sign of congestion the limit doubles per window, as TCP's slow start does. */
  private slowStart = true;
  private window = { openedAt: Number.NEGATIVE_INFINITY, count: 0, rttSum: 0, maxInFlight: 0 };

  constructor(options: GradientOptions = {}) {
    const bounds = resolveBounds('Gradient', options);
    this.min = bounds.min;
    this.max = bounds.max;
    this.estimate = bounds.initial;
    this.minWindowSamples = requirePositiveInteger('Gradient: minWindowSamples', options.minWindowSamples ?? 10);
    this.longWeight = 2 / (requirePositiveInteger('Gradient: longWindow', options.longWindow ?? 600) + 1);
    this.tolerance = requirePositiveNumber('Gradient: rttTolerance', options.rttTolerance ?? 1.3);
    this.smoothing = requirePositiveNumber('Gradient: smoothing', options.smoothing ?? 0.2);
    if (this.smoothing > 1) throw new InvalidArgumentError('Gradient: smoothing', `must be at most 1, got ${this.smoothing}.`);
    this.backoffRatio = options.backoffRatio ?? 0.9;
    if (!(this.backoffRatio > 0 && this.backoffRatio < 1)) {
      throw new InvalidArgumentError('Gradient: backoffRatio', `must be between 0 and 1 (exclusive), got ${String(options.backoffRatio)}.`);
    }
    this.queueSize = options.queueSize ?? (() => 4);
  }

  get limit(): number {
    return this.estimate;
  }

  update(sample: LimitSample): number {
    if (sample.dropped) {
      this.slowStart = false;
      if (sample.startedAt >= this.lastDecreaseAt) {
        this.estimate = clamp(this.estimate * this.backoffRatio, this.min, this.max);
        this.lastDecreaseAt = sample.now;
      }
      return this.estimate; // a refused call's latency is not the downstream's service time
    }
    const window = this.window;
    if (window.count === 0 && window.openedAt === Number.NEGATIVE_INFINITY) window.openedAt = sample.startedAt;
    window.count += 1;
    window.rttSum += sample.rttMs;
    window.maxInFlight = Math.max(window.maxInFlight, sample.inFlight);
    // A window closes after enough calls, and only once a call that started inside it has come back.
    if (window.count < this.minWindowSamples || sample.startedAt < window.openedAt) return this.estimate;
    this.closeWindow(window.rttSum / window.count, window.maxInFlight);
    this.window = { openedAt: sample.now, count: 0, rttSum: 0, maxInFlight: 0 };
    return this.estimate;
  }

  state(): AlgorithmState {
    return { shortRttMs: this.shortRtt, longRttMs: this.longRtt };
  }

  private closeWindow(shortRtt: number, maxInFlight: number): void {
    this.shortRtt = shortRtt;
    // The baseline rises slowly (a downstream that really got slower is learned over longWindow
    // windows) but falls at once to a faster window.
    if (this.longRtt === null || shortRtt < this.longRtt) this.longRtt = shortRtt;
    else this.longRtt += (shortRtt - this.longRtt) * this.longWeight;
    if (maxInFlight * 2 < this.estimate) return; // app-limited: no evidence either way
    // Calls faster than the clock can tell (0 ms) show no queueing at all.
    const gradient = shortRtt > 0 ? clamp((this.tolerance * this.longRtt) / shortRtt, 0.5, 1) : 1;
    if (gradient < 1) this.slowStart = false;
    if (this.slowStart) {
      this.estimate = clamp(this.estimate * 2, this.min, this.max);
      return;
    }
    const target = this.estimate * gradient + this.queueSize(this.estimate);
    // Growth is smoothed (a probe), a fall is not: by the time latency shows congestion it is a round trip old.
    const next = target < this.estimate ? target : this.estimate * (1 - this.smoothing) + target * this.smoothing;
    this.estimate = clamp(next, this.min, this.max);
  }
}
