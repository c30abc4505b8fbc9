/**
 * How a change between two figures is computed and written, in one place for every view that shows
 * one (the run comparison's headline and table, the regression gate, the CLI). The percentage is taken
 * from the unrounded figures and rounded once, by its magnitude — so "38 % fewer" and "-38 %" are the
 * same number (Math.round(-37.5) is -37 while Math.round(37.5) is 38: rounding the signed value made
 * the headline and the table of one comparison disagree).
 */

/** (current − reference) / |reference| × 100; null when the reference is 0 (no percentage exists). */
export function percentChange(current: number, reference: number): number | null {
  if (reference === 0 || !Number.isFinite(current) || !Number.isFinite(reference)) return null;
  return ((current - reference) / Math.abs(reference)) * 100;
}

/** The size of a change, rounded half away from zero to `digits` decimals. */
export function percentMagnitude(pct: number, digits = 0): string {
  const factor = 10 ** digits;
  return (Math.round(Math.abs(pct) * factor) / factor).toFixed(digits);
}

/** "+12 %", "-38 %", "0 %" (digits: decimals kept). */
export function formatPercentChange(pct: number, digits = 0): string {
  const magnitude = percentMagnitude(pct, digits);
  if (Number(magnitude) === 0) return `0 %`;
  return `${pct > 0 ? '+' : '-'}${magnitude} %`;
}

/** "38 % fewer" / "12 % more" for a count that went down / up; null when no percentage exists. */
export function describeCountChange(current: number, reference: number, noun: string): string | null {
  const pct = percentChange(current, reference);
  if (pct === null) return null;
  return `${percentMagnitude(pct)} % ${pct <= 0 ? 'fewer' : 'more'} ${noun}`;
}

/** The arrival rates of a run with what each one is (the JSON keeps its short names: target, achieved, peak). */
export function describeRates(rate: { target: number; achieved: number; peak: number }): string {
  return `achieved ${rate.achieved}/s (arrivals started ÷ scheduled seconds) · planned mean ${rate.target}/s · planned peak ${rate.peak}/s`;
}
