import { BulkheadError } from '../errors';

/** A programming error in how a primitive was configured or called; names the field and the fix. */
export class InvalidArgumentError extends BulkheadError {
  override readonly name = 'InvalidArgumentError';
  constructor(field: string, message: string) {
    super('INVALID_ARGUMENT', `${field} ${message}`);
  }
}

export function requirePositiveInteger(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(field, `must be a whole number ≥ 1, got ${String(value)}.`);
  return value;
}

export function requirePositiveNumber(field: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(field, `must be a finite number > 0, got ${String(value)}.`);
  }
  return value;
}

export function requireNonNegativeNumber(field: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(field, `must be a finite number ≥ 0, got ${String(value)}.`);
  }
  return value;
}

/** `maxWaiting`-style bounds: a whole number ≥ 0, or Infinity for "unbounded". */
export function requireQueueBound(field: string, value: number): number {
  if (value === Number.POSITIVE_INFINITY) return value;
  if (!Number.isInteger(value) || value < 0) throw new InvalidArgumentError(field, `must be a whole number ≥ 0 or Infinity, got ${String(value)}.`);
  return value;
}
