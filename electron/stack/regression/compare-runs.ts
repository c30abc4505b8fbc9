import {
  GateSettingsSchema,
  REGRESSION_METRIC_IDS,
  type GateSettings,
  type MetricComparison,
  type RegressionMetricId,
  type RegressionReport,
  type RunWindow,
  type RunWindows,
  type Verdict,
} from '../../../shared/contract/regression';
import { minimumCountFor } from '../../../shared/latency-histogram';
import { formatPercentChange, percentChange } from '../../../shared/run-figures';
import { mannWhitneyU } from './mann-whitney';

/** Which percentile a latency metric is, for saying why a window has none. */
const LATENCY_PERCENT: Partial<Record<RegressionMetricId, number>> = { p50: 50, p95: 95, p99: 99 };
import { median } from './sample-stats';

interface MetricDefinition {
  readonly label: string;
  readonly unit: string;
  readonly worseWhen: 'higher' | 'lower';
  readonly read: (window: RunWindow) => number;
}

/** What each gated metric is, which way is worse, and how it is read from a window. */
export const METRIC_DEFINITIONS: Readonly<Record<RegressionMetricId, MetricDefinition>> = {
  throughput: { label: 'throughput', unit: 'req/s', worseWhen: 'lower', read: (w) => w.throughput },
  // A window in which nothing completed has no latency: NaN, filtered out below.
  p50: { label: 'latency p50', unit: 'ms', worseWhen: 'higher', read: (w) => w.p50 ?? Number.NaN },
  p95: { label: 'latency p95', unit: 'ms', worseWhen: 'higher', read: (w) => w.p95 ?? Number.NaN },
  p99: { label: 'latency p99', unit: 'ms', worseWhen: 'higher', read: (w) => w.p99 ?? Number.NaN },
  errorRate: { label: 'error rate', unit: '%', worseWhen: 'higher', read: (w) => w.errorRate * 100 },
};

export interface CompareInput {
  readonly baseline: { readonly name: string; readonly runId: string; readonly data: RunWindows };
  readonly current: { readonly runId: string; readonly data: RunWindows };
  readonly settings?: Partial<GateSettings>;
}

interface RawComparison {
  metric: RegressionMetricId;
  baselineValues: number[];
  currentValues: number[];
  /** One-sided p for "worse by more than the minimum effect". */
  pWorse: number;
  /** One-sided p for "better by more than the minimum effect". */
  pBetter: number;
  probabilityWorse: number;
  method: MetricComparison['method'];
}

/**
 * Compares two runs metric by metric. Each metric's per-window values form two samples; a
 * Mann–Whitney U test on them, with the current windows discounted by the minimum effect, says whether
 * the metric moved by more than `minEffectPct` (for the error rate also a few tenths of a percentage
 * point) beyond what noise explains. Holm's correction keeps the family of five tests at `alpha`.
 * A statistically clear 1 % shift is therefore not a regression, and neither is a noisy 8 % one.
 */
export function compareRuns(input: CompareInput): RegressionReport {
  const settings = GateSettingsSchema.parse(input.settings ?? {});
  const raw = REGRESSION_METRIC_IDS.map((metric) => testMetric(metric, input.baseline.data.windows, input.current.data.windows, settings));
  // Two questions, each a family of one-sided tests kept at alpha by Holm: did anything get worse,
  // and did anything get better. The gate acts on the first; the second is information.
  const adjustedWorse = holmAdjust(raw.map((r) => r.pWorse));
  const adjustedBetter = holmAdjust(raw.map((r) => r.pBetter));
  const metrics = raw.map((r, index) => judge(r, adjustedWorse[index]!, adjustedBetter[index]!, settings));
  const regressed = metrics.some((m) => m.verdict === 'regressed');
  const improved = metrics.some((m) => m.verdict === 'improved');
  return {
    baseline: {
      name: input.baseline.name,
      runId: input.baseline.runId,
      windows: input.baseline.data.windows.length,
      windowMs: input.baseline.data.windowMs,
    },
    current: { runId: input.current.runId, windows: input.current.data.windows.length, windowMs: input.current.data.windowMs },
    settings,
    metrics,
    regressed,
    improved,
    summary: summarise(input.baseline.name, metrics, settings),
  };
}

function testMetric(metric: RegressionMetricId, baseline: readonly RunWindow[], current: readonly RunWindow[], settings: GateSettings): RawComparison {
  const definition = METRIC_DEFINITIONS[metric];
  const baselineValues = baseline.map(definition.read).filter(Number.isFinite);
  const currentValues = current.map(definition.read).filter(Number.isFinite);
  if (baselineValues.length < settings.minWindows || currentValues.length < settings.minWindows) {
    return { metric, baselineValues, currentValues, pWorse: 1, pBetter: 1, probabilityWorse: 0.5, method: 'none' };
  }
  // The minimum effect is part of the hypothesis, not a filter afterwards: the current windows are
  // discounted by the margin before ranking, so the test asks "worse (or better) by more than the
  // margin?". Drift of a few percent between two runs then cannot reach significance on its own.
  const relative = settings.minEffectPct / 100;
  const absolute = metric === 'errorRate' ? settings.errorRateMinAbsolutePct : 0;
  const shrink = (v: number): number => v / (1 + relative) - absolute;
  const grow = (v: number): number => v * (1 + relative) + absolute;
  const higherIsWorse = definition.worseWhen === 'higher';
  const pWorse = mannWhitneyU(currentValues.map(higherIsWorse ? shrink : grow), baselineValues, higherIsWorse ? 'greater' : 'less').pValue;
  const pBetter = mannWhitneyU(currentValues.map(higherIsWorse ? grow : shrink), baselineValues, higherIsWorse ? 'less' : 'greater').pValue;
  const plain = mannWhitneyU(currentValues, baselineValues);
  const probabilityWorse = higherIsWorse ? plain.probabilityXGreater : 1 - plain.probabilityXGreater;
  return { metric, baselineValues, currentValues, pWorse, pBetter, probabilityWorse, method: plain.method };
}

function judge(raw: RawComparison, adjustedWorse: number, adjustedBetter: number, settings: GateSettings): MetricComparison {
  const definition = METRIC_DEFINITIONS[raw.metric];
  const baselineMedian = raw.baselineValues.length > 0 ? median(raw.baselineValues) : null;
  const currentMedian = raw.currentValues.length > 0 ? median(raw.currentValues) : null;
  const changePct = baselineMedian === null || currentMedian === null ? null : percentChange(currentMedian, baselineMedian);
  const delta = baselineMedian === null || currentMedian === null ? 0 : currentMedian - baselineMedian;
  const worse = definition.worseWhen === 'higher' ? delta > 0 : delta < 0;
  const largeEnough = isLargeEnough(raw.metric, changePct, delta, settings);
  // Report the test of the direction the medians moved in.
  const pValue = worse ? raw.pWorse : raw.pBetter;
  const adjustedP = worse ? adjustedWorse : adjustedBetter;
  const significant = adjustedP < settings.alpha;

  let verdict: Verdict;
  if (raw.method === 'none') verdict = 'insufficient-data';
  else if (significant && largeEnough && delta !== 0) verdict = worse ? 'regressed' : 'improved';
  else verdict = 'unchanged';

  const comparison: MetricComparison = {
    metric: raw.metric,
    label: definition.label,
    unit: definition.unit,
    worseWhen: definition.worseWhen,
    baselineMedian: baselineMedian === null ? null : round(baselineMedian, 4),
    currentMedian: currentMedian === null ? null : round(currentMedian, 4),
    changePct: changePct === null ? null : round(changePct, 2),
    pValue,
    adjustedP,
    confidence: round(1 - adjustedP, 4),
    probabilityWorse: round(raw.probabilityWorse, 4),
    verdict,
    explanation: '',
    method: raw.method,
  };
  comparison.explanation = explain(comparison, raw, settings, { significant, largeEnough });
  return comparison;
}

function isLargeEnough(metric: RegressionMetricId, changePct: number | null, delta: number, settings: GateSettings): boolean {
  if (metric === 'errorRate') {
    // Error rates sit near zero, where percentages explode: demand an absolute move as well.
    const absoluteOk = Math.abs(delta) >= settings.errorRateMinAbsolutePct;
    return absoluteOk && (changePct === null || Math.abs(changePct) >= settings.minEffectPct);
  }
  if (changePct === null) return delta !== 0;
  return Math.abs(changePct) >= settings.minEffectPct;
}

function explain(c: MetricComparison, raw: RawComparison, settings: GateSettings, flags: { significant: boolean; largeEnough: boolean }): string {
  if (c.verdict === 'insufficient-data') {
    const percent = LATENCY_PERCENT[raw.metric];
    const why = percent === undefined ? '' : ` — a window has a ${c.label} only when at least ${minimumCountFor(percent)} requests finished in it`;
    return `${c.label}: not enough windows to judge (${raw.baselineValues.length} baseline, ${raw.currentValues.length} current; need ${settings.minWindows} each${why}).`;
  }
  const move = `${formatValue(c.baselineMedian, c.unit)} → ${formatValue(c.currentMedian, c.unit)}`;
  const change = c.changePct === null ? '' : ` (${formatPercentChange(c.changePct, 1)})`;
  const p = `p ${c.adjustedP < 0.0001 ? '' : '= '}${formatP(c.adjustedP)}`;
  if (c.verdict === 'regressed') return `${c.label} got worse: ${move}${change}, ${p}.`;
  if (c.verdict === 'improved') return `${c.label} improved: ${move}${change}, ${p}.`;
  if (!flags.largeEnough) return `${c.label} unchanged: ${move}${change} is within the ${settings.minEffectPct} % minimum effect.`;
  if (!flags.significant) {
    return `${c.label} unchanged: ${move}${change}, but ${p} — the windows overlap too much to tell a ${settings.minEffectPct} % change from noise.`;
  }
  return `${c.label} unchanged: ${move}${change}; the windows do not shift consistently.`;
}

function summarise(name: string, metrics: readonly MetricComparison[], settings: GateSettings): string {
  const regressed = metrics.filter((m) => m.verdict === 'regressed');
  if (regressed.length > 0) {
    return `Regression against baseline "${name}": ${regressed.map((m) => `${m.label} ${formatChange(m)}`).join(', ')}.`;
  }
  const insufficient = metrics.filter((m) => m.verdict === 'insufficient-data');
  if (insufficient.length === metrics.length) return `Could not compare with baseline "${name}": too few measurement windows.`;
  const improved = metrics.filter((m) => m.verdict === 'improved');
  const better = improved.length > 0 ? ` Improved: ${improved.map((m) => `${m.label} ${formatChange(m)}`).join(', ')}.` : '';
  return `No regression against baseline "${name}" (minimum effect ${settings.minEffectPct} %, family-wise α ${settings.alpha}).${better}`;
}

function formatChange(m: MetricComparison): string {
  if (m.changePct === null) return `${formatValue(m.baselineMedian, m.unit)} → ${formatValue(m.currentMedian, m.unit)}`;
  return formatPercentChange(m.changePct, 1);
}

export function formatValue(value: number | null, unit: string): string {
  if (value === null) return '—';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

export function formatP(p: number): string {
  if (p < 0.0001) return '< 0.0001';
  return p < 0.01 ? p.toFixed(4) : p.toFixed(3);
}

/** Holm–Bonferroni step-down adjustment; returns adjusted p-values in the input order. */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m).fill(1);
  let running = 0;
  order.forEach(({ p, index }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[index] = running;
  });
  return adjusted;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
