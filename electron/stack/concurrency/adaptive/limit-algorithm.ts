/**
 * What an adaptive limit learns from: one finished call. The algorithm turns a stream of these into a
 * concurrency limit, the way TCP congestion control turns acknowledgements and losses into a window.
 */
export interface LimitSample {
  /** When the call got its permit (clock ms). */
  startedAt: number;
  /** How long it held the permit: the latency the downstream showed us. */
  rttMs: number;
  /** Calls in flight when this one started, itself included (to tell "limit too low" from "load too low"). */
  inFlight: number;
  /** The downstream pushed back: 429, 503/529 overload, a timeout. */
  dropped: boolean;
  /** When the call finished (clock ms). */
  now: number;
}

/** Internal figures an algorithm shows in the snapshot (e.g. its short- and long-term latency). */
export interface AlgorithmState {
  shortRttMs: number | null;
  longRttMs: number | null;
}

export type AdaptiveAlgorithmName = 'aimd' | 'gradient';

export interface LimitAlgorithm {
  readonly name: AdaptiveAlgorithmName;
  /** The current estimate, fractional; the permits given out are its floor (at least `min`). */
  readonly limit: number;
  readonly min: number;
  readonly max: number;
  /** Feeds one finished call; returns the new estimate. */
  update(sample: LimitSample): number;
  state(): AlgorithmState;
}

export interface LimitBounds {
  /** The limit never goes below this. Default 1. */
  min?: number;
  /** The limit never goes above this. Default 1000. */
  max?: number;
  /** Where the limit starts. Default: `min` × 4, within the bounds. */
  initial?: number;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
