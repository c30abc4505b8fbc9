import { z } from 'zod';
import { defineEvents, defineMethods } from './define';

/**
 * Alerts: rules over the monitored metrics (runtime, pool, semaphores, providers), evaluated on every
 * monitor tick, fired and cleared with hysteresis, kept in the app store.
 */

/** `pool.waiting`, `runtime.eventLoopP99Ms`, or with `*` for one segment: `semaphore.*.stalled`. */
export const MetricPatternSchema = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[A-Za-z0-9_-]+(\.([A-Za-z0-9_-]+|\*))*$/, 'write a metric name like pool.waiting; * stands for one segment (semaphore.*.stalled)');

export const SeveritySchema = z.enum(['warning', 'critical']);
export type Severity = z.infer<typeof SeveritySchema>;

const RuleIdSchema = z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and dashes');

const ruleBase = {
  id: RuleIdSchema,
  name: z.string().min(1).max(80).describe('shown in the toast and the list'),
  enabled: z.boolean().default(true),
  severity: SeveritySchema.default('warning'),
  metric: MetricPatternSchema,
  clearForSec: z.number().min(0).max(3600).default(5).describe('the condition must be gone this long before the alert clears'),
  description: z.string().max(300).default(''),
};

export const ThresholdRuleSchema = z.object({
  ...ruleBase,
  kind: z.literal('threshold'),
  op: z.enum(['>', '>=', '<', '<=']),
  threshold: z.number(),
  forSec: z.number().min(0).max(3600).default(0).describe('the condition must hold this long before the alert fires'),
  clearThreshold: z
    .number()
    .optional()
    .describe('hysteresis: the value must get back past this (not just the threshold) to clear; default the threshold'),
});

export const TrendRuleSchema = z.object({
  ...ruleBase,
  kind: z.literal('trend'),
  windowSec: z.number().min(10).max(24 * 3600).default(300).describe('fit a line to the values of this long'),
  minSlopePerMin: z.number().describe('fire when the fitted line rises at least this much per minute (falls, if negative)'),
  minR2: z.number().min(0).max(1).default(0.8).describe('and the line explains at least this share of the variance: steady, not noise'),
});

export const AlertRuleSchema = z
  .discriminatedUnion('kind', [ThresholdRuleSchema, TrendRuleSchema])
  .superRefine((rule, ctx) => {
    if (rule.kind !== 'threshold' || rule.clearThreshold === undefined) return;
    const above = rule.op === '>' || rule.op === '>=';
    if (above ? rule.clearThreshold > rule.threshold : rule.clearThreshold < rule.threshold) {
      ctx.addIssue({
        code: 'custom',
        path: ['clearThreshold'],
        message: `must be on the healthy side of the threshold (${above ? '≤' : '≥'} ${rule.threshold}), or the alert could never clear`,
      });
    }
  });
export type AlertRule = z.output<typeof AlertRuleSchema>;
export type AlertRuleInput = z.input<typeof AlertRuleSchema>;

export const AlertRulesSchema = z.array(AlertRuleSchema).max(200).superRefine((rules, ctx) => {
  const seen = new Map<string, number>();
  rules.forEach((rule, index) => {
    const first = seen.get(rule.id);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate id "${rule.id}" (also rule ${first + 1})` });
    else seen.set(rule.id, index);
  });
});

export const AlertSchema = z.object({
  id: z.number().int(),
  ruleId: z.string(),
  ruleName: z.string(),
  /** The concrete metric (a wildcard rule fires once per matching metric). */
  metric: z.string(),
  severity: SeveritySchema,
  status: z.enum(['firing', 'cleared']),
  firedAt: z.number(),
  clearedAt: z.number().nullable(),
  message: z.string(),
  /** Latest value seen while firing (slope per minute for trend rules). */
  value: z.number(),
  /** Worst value seen while firing. */
  peak: z.number(),
  threshold: z.number(),
  unit: z.string(),
  /** Why it cleared: the condition went away, or Bulkhead restarted while it was firing. */
  clearedBy: z.enum(['recovered', 'restart', 'rule-changed']).nullable(),
});
export type Alert = z.infer<typeof AlertSchema>;

export const MetricReadingSchema = z.object({
  name: z.string(),
  value: z.number(),
  unit: z.string(),
  description: z.string(),
});
export type MetricReading = z.infer<typeof MetricReadingSchema>;

export const AlertTransitionSchema = z.object({ kind: z.enum(['fired', 'cleared']), alert: AlertSchema });
export type AlertTransition = z.infer<typeof AlertTransitionSchema>;

export const alertsMethods = defineMethods({
  'alerts.active': {
    description: 'Alerts firing now, newest first.',
    params: z.object({}).strict(),
    result: z.array(AlertSchema),
  },
  'alerts.history': {
    description: 'Alerts fired and cleared, newest first.',
    params: z.object({ limit: z.number().int().min(1).max(1000).default(100), sinceMs: z.number().optional() }).strict(),
    result: z.array(AlertSchema),
  },
  'alerts.history.clear': {
    description: 'Deletes the cleared alerts from the history; alerts firing now stay. Answers how many went.',
    params: z.object({}).strict(),
    result: z.object({ deleted: z.number().int() }),
  },
  'alerts.rules.get': {
    description: 'The rules in force, and the built-in defaults.',
    params: z.object({}).strict(),
    result: z.object({ rules: z.array(AlertRuleSchema), defaults: z.array(AlertRuleSchema) }),
  },
  'alerts.rules.set': {
    description: 'Replaces the rules (validated: a bad rule names its field). Alerts of removed or changed rules clear.',
    params: z.object({ rules: AlertRulesSchema }).strict(),
    result: z.array(AlertRuleSchema),
  },
  'alerts.rules.reset': {
    description: 'Goes back to the built-in default rules.',
    params: z.object({}).strict(),
    result: z.array(AlertRuleSchema),
  },
  'alerts.metrics': {
    description: 'Every metric the rules can use, with its current value.',
    params: z.object({}).strict(),
    result: z.array(MetricReadingSchema),
  },
});

export const alertsEvents = defineEvents({
  'alerts.changed': {
    description: 'Pushed when an alert fires or clears (Electron shows a desktop notification for each fired one).',
    payload: z.object({ t: z.number(), active: z.array(AlertSchema), transitions: z.array(AlertTransitionSchema) }),
  },
});
