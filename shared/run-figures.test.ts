import { describe, expect, it } from 'vitest';
import { describeCountChange, formatPercentChange, percentChange } from './run-figures';

describe('one percentage per change', () => {
  it('says "38 % fewer" in the headline where the table says "-38 %" (5 vs 8 is exactly -37.5 %)', () => {
    expect(describeCountChange(5, 8, 'database server connections')).toBe('38 % fewer database server connections');
    expect(formatPercentChange(percentChange(5, 8)!)).toBe('-38 %');
    expect(formatPercentChange(percentChange(11, 8)!)).toBe('+38 %');
  });

  it('rounds half away from zero at any precision, and never shows "-0 %"', () => {
    expect(formatPercentChange(-12.25, 1)).toBe('-12.3 %');
    expect(formatPercentChange(12.25, 1)).toBe('+12.3 %');
    expect(formatPercentChange(-0.2)).toBe('0 %');
  });

  it('has no percentage against zero', () => {
    expect(percentChange(3, 0)).toBeNull();
    expect(describeCountChange(3, 0, 'x')).toBeNull();
  });
});
