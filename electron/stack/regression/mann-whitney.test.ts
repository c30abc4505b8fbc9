import { describe, expect, it } from 'vitest';
import { exactUCounts, mannWhitneyU } from './mann-whitney';

// Reference p-values from SciPy 1.17 `scipy.stats.mannwhitneyu(x, y, alternative='two-sided', method=...)`.
describe('Mann–Whitney U', () => {
  it('matches the exact two-sided p of completely separated samples', () => {
    const result = mannWhitneyU([1, 2, 3], [4, 5, 6]);
    expect(result.u).toBe(0);
    expect(result.method).toBe('exact');
    expect(result.pValue).toBeCloseTo(0.1, 10); // 2 × 1/C(6,3)
    expect(result.probabilityXGreater).toBe(0);
  });

  it('matches SciPy exact on small samples without ties', () => {
    expect(mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12])).toMatchObject({ u: 17, method: 'exact' });
    expect(mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12]).pValue).toBeCloseTo(0.1111111111, 8);
    const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
    const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
    // y has ties (1.06, 1.29) but SciPy's exact ignores them; ours switches to the normal approximation.
    expect(mannWhitneyU(x, y).u).toBe(58);
  });

  it('matches SciPy exact at n = 40 and 45, where the counts pass 2^53', () => {
    const x = Array.from({ length: 40 }, (_, i) => ((i + 1) * 37) % 101 / 10);
    const y = Array.from({ length: 45 }, (_, i) => (((i + 1) * 53) % 103) / 10 + 0.85);
    const result = mannWhitneyU(x, y);
    expect(result.method).toBe('exact');
    expect(result.u).toBe(832);
    expect(result.pValue).toBeCloseTo(0.5541905510139337, 8);
  });

  it('uses the normal approximation with tie correction when values tie', () => {
    const result = mannWhitneyU([1, 2, 2, 3, 3, 3, 4, 5], [3, 4, 4, 5, 5, 6, 7, 7, 8]);
    expect(result.method).toBe('normal');
    expect(result.u).toBe(7.5);
    expect(result.pValue).toBeCloseTo(0.006373133838085873, 6);
  });

  it('uses the normal approximation above the exact size limit', () => {
    const x = Array.from({ length: 60 }, (_, i) => ((i + 1) * 37) % 101 / 10);
    const y = Array.from({ length: 70 }, (_, i) => (((i + 1) * 53) % 103) / 10 + 0.85);
    const result = mannWhitneyU(x, y);
    expect(result.method).toBe('normal');
    expect(result.u).toBe(1771);
    expect(result.pValue).toBeCloseTo(0.12499459742074685, 6);
  });

  it('gives one-sided p-values, exact and approximate, as SciPy does', () => {
    expect(mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12], 'greater').pValue).toBeCloseTo(0.0555555556, 8);
    expect(mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12], 'less').pValue).toBeCloseTo(0.9682539683, 8);
    const x = [1, 2, 2, 3, 3, 3, 4, 5];
    const y = [3, 4, 4, 5, 5, 6, 7, 7, 8];
    expect(mannWhitneyU(x, y, 'less').pValue).toBeCloseTo(0.0031865669190429364, 6);
    expect(mannWhitneyU(x, y, 'greater').pValue).toBeCloseTo(0.9976386658073535, 6);
  });

  it('answers p = 1 when every value is the same', () => {
    expect(mannWhitneyU([0, 0, 0, 0], [0, 0, 0])).toMatchObject({ pValue: 1, probabilityXGreater: 0.5 });
  });

  it('is symmetric: swapping the samples mirrors U and keeps p', () => {
    const a = [3.1, 4.7, 2.2, 5.9, 6.4, 1.8];
    const b = [7.3, 8.8, 5.1, 9.9, 6.6];
    const ab = mannWhitneyU(a, b);
    const ba = mannWhitneyU(b, a);
    expect(ab.u + ba.u).toBe(a.length * b.length);
    expect(ab.pValue).toBeCloseTo(ba.pValue, 12);
  });

  it('builds null distributions that sum to C(n1+n2, n1) and are symmetric', () => {
    const counts = exactUCounts(6, 4);
    expect(counts.reduce((s, c) => s + c, 0)).toBe(210);
    expect(counts).toEqual([...counts].reverse());
  });

  it('refuses empty or non-finite samples with a clear error', () => {
    expect(() => mannWhitneyU([], [1])).toThrow(/at least one value/);
    expect(() => mannWhitneyU([1, Number.NaN], [1])).toThrow(/non-finite/);
  });
});
