import { UsageError } from './command';
import { closestMatch } from './suggest';

/** Reads an integer option, naming the flag and the allowed range in the error. */
export function parseIntOption(flag: string, raw: unknown, { min, max }: { min: number; max: number }): number | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw);
  if (!/^-?\d+$/.test(text)) throw new UsageError(`--${flag} must be a whole number, got ${JSON.stringify(text)}.`);
  const value = Number(text);
  if (value < min || value > max) throw new UsageError(`--${flag} must be between ${min} and ${max}, got ${value}.`);
  return value;
}

/** Plain decimal notation only: Number() would also take "0x10", "1e3", " 5 " and "" (as 0). */
const DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)$/;

/** Reads a number written in decimal (fractions allowed), naming the flag and the allowed range in the error. */
export function parseNumberOption(flag: string, raw: unknown, { min, max }: { min: number; max: number }): number | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw);
  if (!DECIMAL.test(text)) {
    throw new UsageError(`--${flag} must be a decimal number such as 5 or 2.5, got ${JSON.stringify(text)} (no hex, exponents or units).`);
  }
  const value = Number(text);
  if (value < min || value > max) throw new UsageError(`--${flag} must be between ${min} and ${max}, got ${value}.`);
  return value;
}

export function parseChoiceOption<T extends string>(flag: string, raw: unknown, choices: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw);
  if (!(choices as readonly string[]).includes(text)) {
    const guess = closestMatch(text, choices);
    throw new UsageError(`--${flag} must be one of ${choices.join(', ')}, got ${JSON.stringify(text)}${guess ? ` — did you mean ${guess}?` : '.'}`);
  }
  return text as T;
}
