import { normalUpperTail } from './normal-distribution';

/** two-sided: x and y differ; greater: x tends to be larger than y; less: x tends to be smaller. */
export type Alternative = 'two-sided' | 'greater' | 'less';

export interface MannWhitneyResult {
  /** U of the first sample: how many (x, y) pairs have x > y, ties counting one half. */
  readonly u: number;
  /** p-value against "the two samples come from the same distribution", for the chosen alternative. */
  readonly pValue: number;
  /** How the p-value was computed. */
  readonly method: 'exact' | 'normal';
  /**
   * U / (n1·n2): the probability that a random value of x exceeds a random value of y (ties half).
   * 0.5 = no shift; the Vargha–Delaney A measure of effect size.
   */
  readonly probabilityXGreater: number;
}

/** Largest sample size for which the exact null distribution is computed (counts stay cheap below it). */
export const EXACT_MAX_N = 50;

/**
 * Mann–Whitney U test (Wilcoxon rank-sum), two-sided unless told otherwise. Exact when there are no ties and both samples
 * have at most EXACT_MAX_N values; otherwise the normal approximation with continuity and tie
 * correction. A test of ranks: it does not assume normal data, and one outlier window moves it little.
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[], alternative: Alternative = 'two-sided'): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitneyU needs at least one value in each sample');
  for (const value of [...x, ...y]) {
    if (!Number.isFinite(value)) throw new RangeError(`mannWhitneyU got a non-finite value (${value})`);
  }
  const { rankSumX, tieGroups } = rankSum(x, y);
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  const probabilityXGreater = u / (n1 * n2);
  const hasTies = tieGroups.some((size) => size > 1);
  if (!hasTies && n1 <= EXACT_MAX_N && n2 <= EXACT_MAX_N) {
    return { u, pValue: exactP(u, n1, n2, alternative), method: 'exact', probabilityXGreater };
  }
  return { u, pValue: normalP(u, n1, n2, tieGroups, alternative), method: 'normal', probabilityXGreater };
}

/** Sum of the ranks of x in the pooled sample (average ranks for ties) and the sizes of tie groups. */
function rankSum(x: readonly number[], y: readonly number[]): { rankSumX: number; tieGroups: number[] } {
  const pooled = [...x.map((value) => ({ value, fromX: true })), ...y.map((value) => ({ value, fromX: false }))];
  pooled.sort((a, b) => a.value - b.value);
  let rankSumX = 0;
  const tieGroups: number[] = [];
  for (let start = 0; start < pooled.length; ) {
    let end = start;
    while (end + 1 < pooled.length && pooled[end + 1]!.value === pooled[start]!.value) end++;
    const averageRank = (start + end + 2) / 2; // ranks are 1-based
    for (let i = start; i <= end; i++) if (pooled[i]!.fromX) rankSumX += averageRank;
    tieGroups.push(end - start + 1);
    start = end + 1;
  }
  return { rankSumX, tieGroups };
}

function normalP(u: number, n1: number, n2: number, tieGroups: readonly number[], alternative: Alternative): number {
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const tieTerm = tieGroups.reduce((sum, t) => sum + (t * t * t - t), 0);
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return 1; // every value identical: nothing can differ
  const sd = Math.sqrt(variance);
  // 0.5 is the continuity correction, always towards the mean.
  if (alternative === 'greater') return normalUpperTail((u - mean - 0.5) / sd);
  if (alternative === 'less') return normalUpperTail((mean - u - 0.5) / sd);
  const z = Math.max(0, Math.abs(u - mean) - 0.5) / sd;
  return Math.min(1, 2 * normalUpperTail(z));
}

/**
 * Exact p from the null distribution of U: the number of orderings of n1 x's and n2 y's
 * with each U value, built by the recurrence c(m, n; u) = c(m-1, n; u-n) + c(m, n-1; u). Only
 * additions, so floating point stays accurate even where the counts pass 2^53.
 */
function exactP(u: number, n1: number, n2: number, alternative: Alternative): number {
  const counts = exactUCounts(n1, n2);
  const total = counts.reduce((sum, c) => sum + c, 0);
  const observed = Math.round(u); // integral without ties
  let lower = 0;
  let upper = 0;
  for (let k = 0; k < counts.length; k++) {
    if (k <= observed) lower += counts[k]!;
    if (k >= observed) upper += counts[k]!;
  }
  if (alternative === 'greater') return upper / total;
  if (alternative === 'less') return lower / total;
  return Math.min(1, (2 * Math.min(lower, upper)) / total);
}

const countCache = new Map<string, readonly number[]>();

/** counts[u] = orderings of n1 x's and n2 y's with U = u; memoised per (n1, n2). */
export function exactUCounts(n1: number, n2: number): readonly number[] {
  const key = `${n1}x${n2}`;
  const cached = countCache.get(key);
  if (cached) return cached;
  // rows[n] holds the distribution for (m, n) while m climbs from 0 to n1.
  let rows: number[][] = Array.from({ length: n2 + 1 }, () => [1]); // m = 0: U is always 0
  for (let m = 1; m <= n1; m++) {
    const next: number[][] = [[1]]; // n = 0: U is always 0
    for (let n = 1; n <= n2; n++) {
      const dist = new Array<number>(m * n + 1).fill(0);
      const withXLast = rows[n]!; // (m-1, n): the largest value is an x, beating all n y's
      for (let k = 0; k < withXLast.length; k++) dist[k + n]! += withXLast[k]!;
      const withYLast = next[n - 1]!; // (m, n-1): the largest value is a y
      for (let k = 0; k < withYLast.length; k++) dist[k]! += withYLast[k]!;
      next.push(dist);
    }
    rows = next;
  }
  const result = rows[n2]!;
  if (countCache.size > 200) countCache.clear();
  countCache.set(key, result);
  return result;
}
