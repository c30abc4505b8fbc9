import { InvalidArgumentError, requirePositiveInteger } from '../invalid-argument';
import { clamp, type LimitBounds } from './limit-algorithm';

export interface ResolvedBounds {
  min: number;
  max: number;
  initial: number;
}

/** Validates min ≤ initial ≤ max (whole numbers ≥ 1) once, with the field named in the error. */
export function resolveBounds(what: string, bounds: LimitBounds): ResolvedBounds {
  const min = requirePositiveInteger(`${what}: min`, bounds.min ?? 1);
  const max = requirePositiveInteger(`${what}: max`, bounds.max ?? 1000);
  if (max < min) throw new InvalidArgumentError(`${what}: max`, `must be ≥ min (${min}), got ${max}. Raise max or lower min.`);
  const initial = bounds.initial ?? clamp(min * 4, min, max);
  if (!Number.isFinite(initial) || initial < min || initial > max) {
    throw new InvalidArgumentError(`${what}: initial`, `must lie between min (${min}) and max (${max}), got ${String(initial)}.`);
  }
  return { min, max, initial };
}
