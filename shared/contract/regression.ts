import { z } from 'zod';
import { defineMethods } from './define';

/**
 * The regression gate: a run saved as a named baseline, and a later run compared with it metric by
 * metric over repeated measurement windows (Mann–Whitney U plus a minimum effect size).
 */

export const REGRESSION_METRIC_IDS = ['throughput', 'p50', 'p95', 'p99', 'errorRate'] as const;
export const RegressionMetricIdSchema = z.enum(REGRESSION_METRIC_IDS);
export type RegressionMetricId = z.infer<typeof RegressionMetricIdSchema>;

/** One measurement window of a run: the metrics over that slice of time. */
export const RunWindowSchema = z.object({
  startMs: z.number().describe('window start, ms since the run started'),
  throughput: z.number().describe('completed requests per second'),
  p50: z.number().nullable().describe('latency p50 in ms of the requests that finished in the window; null when fewer than 2 did'),
  p95: z.number().nullable().describe('null when fewer than 20 requests finished in the window (p95 of fewer is just the slowest)'),
  p99: z.number().nullable().describe('null when fewer than 100 requests finished in the window'),
  errorRate: z.number().describe('failed / (completed + failed), 0–1'),
  requests: z.number().int().describe('requests that finished in the window'),
});
export type RunWindow = z.infer<typeof RunWindowSchema>;

export const RunWindowsSchema = z.object({
  windowMs: z.number().positive(),
  windows: z.array(RunWindowSchema),
});
export type RunWindows = z.infer<typeof RunWindowsSchema>;

export const VerdictSchema = z.enum(['regressed', 'improved', 'unchanged', 'insufficient-data']);
export type Verdict = z.infer<typeof VerdictSchema>;

export const MetricComparisonSchema = z.object({
  metric: RegressionMetricIdSchema,
  label: z.string(),
  unit: z.string(),
  worseWhen: z.enum(['higher', 'lower']),
  /** Median over the baseline's windows of the metric (for latency: of each window's percentile); null when no window has it. */
  baselineMedian: z.number().nullable(),
  /** The same over this run's windows. */
  currentMedian: z.number().nullable(),
  /** (current − baseline) / baseline × 100; null when the baseline median is 0. */
  changePct: z.number().nullable(),
  /**
   * p-value of "the metric moved by more than the minimum effect" (Mann–Whitney U over the windows,
   * current windows discounted by the margin, both directions).
   */
  pValue: z.number(),
  /** p-value after Holm's correction over all compared metrics (what the verdict uses). */
  adjustedP: z.number(),
  /** 1 − adjusted p: how sure we are the metric moved by more than the minimum effect. */
  confidence: z.number(),
  /** P(current window worse than a baseline window); 0.5 = no shift. */
  probabilityWorse: z.number(),
  verdict: VerdictSchema,
  /** One sentence for the CLI and the panel. */
  explanation: z.string(),
  method: z.enum(['exact', 'normal', 'none']),
});
export type MetricComparison = z.infer<typeof MetricComparisonSchema>;

export const GateSettingsSchema = z.object({
  minEffectPct: z.number().min(0).max(1000).default(5).describe('smaller changes never count, however significant'),
  alpha: z.number().gt(0).lt(1).default(0.05).describe('family-wise significance level over all metrics'),
  minWindows: z.number().int().min(3).max(1000).default(6).describe('fewer windows than this on either side: insufficient data'),
  errorRateMinAbsolutePct: z
    .number()
    .min(0)
    .max(100)
    .default(0.5)
    .describe('an error-rate change must also exceed this many percentage points'),
});
export type GateSettings = z.infer<typeof GateSettingsSchema>;

export const RegressionReportSchema = z.object({
  baseline: z.object({ name: z.string(), runId: z.string(), windows: z.number().int(), windowMs: z.number() }),
  current: z.object({ runId: z.string(), windows: z.number().int(), windowMs: z.number() }),
  settings: z.object({ minEffectPct: z.number(), alpha: z.number(), minWindows: z.number(), errorRateMinAbsolutePct: z.number() }),
  metrics: z.array(MetricComparisonSchema),
  regressed: z.boolean(),
  improved: z.boolean(),
  summary: z.string(),
});
export type RegressionReport = z.infer<typeof RegressionReportSchema>;

export const BaselineInfoSchema = z.object({
  name: z.string(),
  runId: z.string(),
  createdAt: z.number(),
  windowMs: z.number(),
  windows: z.number().int(),
  /** What was run, as the stress runner described it (profile, mode, rate, duration). */
  label: z.string(),
  /** Medians over the measurement windows (what the gate compares); latency null when no window holds enough requests. */
  medians: z.object({ throughput: z.number(), p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable(), errorRate: z.number() }),
  /** The baseline run's own latency over all its requests — the figures History shows; null when the run was deleted. */
  run: z.object({ p50: z.number(), p95: z.number(), p99: z.number() }).nullable(),
});
export type BaselineInfo = z.infer<typeof BaselineInfoSchema>;

export const BaselineNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, dot, dash or underscore, starting with a letter or digit');

export const regressionMethods = defineMethods({
  'regression.baselines.list': {
    description: 'Saved baselines, newest first.',
    params: z.object({}).strict(),
    result: z.array(BaselineInfoSchema),
  },
  'regression.baselines.save': {
    description: 'Saves a finished run as a named baseline (replacing one of the same name).',
    params: z.object({ name: BaselineNameSchema, runId: z.string().min(1) }).strict(),
    result: BaselineInfoSchema,
  },
  'regression.baselines.delete': {
    description: 'Deletes a baseline; its run stays.',
    params: z.object({ name: BaselineNameSchema }).strict(),
    result: z.object({ deleted: z.boolean() }),
  },
  'regression.compare': {
    description: 'Compares a run with a baseline, metric by metric, with p-values and a verdict.',
    params: z
      .object({
        baseline: BaselineNameSchema,
        runId: z.string().min(1),
        minEffectPct: z.number().min(0).max(1000).optional(),
        alpha: z.number().gt(0).lt(1).optional(),
      })
      .strict(),
    result: RegressionReportSchema,
  },
});
