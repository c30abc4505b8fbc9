import type { AlertRule, MetricReading, Severity } from '../../../shared/contract/alerts';
import { matchesPattern } from '../monitor/metric-registry';
import { fitLine } from './linear-fit';

/** An alert while it fires, as the engine knows it (the service adds the stored id). */
export interface FiringAlert {
  readonly key: string;
  readonly ruleId: string;
  readonly ruleName: string;
  readonly metric: string;
  readonly severity: Severity;
  readonly firedAt: number;
  readonly threshold: number;
  readonly unit: string;
  value: number;
  peak: number;
  message: string;
}

export interface EngineTransition {
  readonly kind: 'fired' | 'cleared';
  readonly alert: FiringAlert;
  readonly at: number;
  readonly clearedBy?: 'recovered' | 'rule-changed';
}

interface SeriesState {
  readonly rule: AlertRule;
  readonly metric: string;
  /** Since when the firing condition has held without a break (null: it does not hold). */
  pendingSince: number | null;
  /** While firing: since when the clearing condition has held. */
  healthySince: number | null;
  firing: FiringAlert | null;
  /** Trend rules: the recent values, thinned to about 300 points per window. */
  points: Array<{ t: number; v: number }>;
}

/**
 * Evaluates alert rules against metric readings at a given time. Pure logic driven by `now` — the
 * monitor's tick time in the app, any number in tests — so durations and hysteresis are exact.
 *
 * A threshold rule fires when its condition has held for `forSec` and clears only when the value
 * has been back past `clearThreshold` (default the threshold) for `clearForSec`: a value hovering at
 * the threshold does not flap. A trend rule fits a line to the last `windowSec` of values and fires
 * when it rises at least `minSlopePerMin` with R² ≥ `minR2` (steady growth, not noise).
 * A wildcard rule keeps one state per matching metric.
 */
export class AlertEngine {
  private rules: readonly AlertRule[] = [];
  private readonly states = new Map<string, SeriesState>();

  constructor(rules: readonly AlertRule[] = []) {
    this.rules = rules;
  }

  get firing(): FiringAlert[] {
    return [...this.states.values()].flatMap((s) => (s.firing ? [s.firing] : []));
  }

  /** New rules; alerts of rules that were removed or changed clear at once. */
  setRules(rules: readonly AlertRule[], now: number): EngineTransition[] {
    const byId = new Map(rules.map((rule) => [rule.id, rule]));
    const transitions: EngineTransition[] = [];
    for (const [key, state] of this.states) {
      const next = byId.get(state.rule.id);
      if (next && next.enabled && JSON.stringify(next) === JSON.stringify(state.rule)) continue;
      if (state.firing) transitions.push({ kind: 'cleared', alert: state.firing, at: now, clearedBy: 'rule-changed' });
      this.states.delete(key);
    }
    this.rules = rules;
    return transitions;
  }

  evaluate(now: number, readings: ReadonlyMap<string, MetricReading>): EngineTransition[] {
    const transitions: EngineTransition[] = [];
    const seen = new Set<string>();
    for (const rule of this.rules) {
      if (!rule.enabled) continue;
      for (const reading of readings.values()) {
        if (!matchesPattern(rule.metric, reading.name)) continue;
        const key = `${rule.id}|${reading.name}`;
        seen.add(key);
        let state = this.states.get(key);
        if (!state) {
          state = { rule, metric: reading.name, pendingSince: null, healthySince: null, firing: null, points: [] };
          this.states.set(key, state);
        }
        const transition = rule.kind === 'threshold' ? this.stepThreshold(state, rule, reading, now) : this.stepTrend(state, rule, reading, now);
        if (transition) transitions.push(transition);
      }
    }
    // A metric that went away (its source stopped): pending conditions lapse, firing alerts clear normally.
    for (const [key, state] of this.states) {
      if (seen.has(key)) continue;
      state.pendingSince = null;
      if (!state.firing) {
        this.states.delete(key);
        continue;
      }
      const transition = this.stepHealthy(state, true, now);
      if (transition) transitions.push(transition);
    }
    return transitions;
  }

  private stepThreshold(state: SeriesState, rule: Extract<AlertRule, { kind: 'threshold' }>, reading: MetricReading, now: number): EngineTransition | null {
    const holds = compare(reading.value, rule.op, rule.threshold);
    if (state.firing) {
      const alert = state.firing;
      alert.value = reading.value;
      alert.peak = worse(rule.op, alert.peak, reading.value);
      alert.message = thresholdMessage(rule, reading, alert.peak);
      return this.stepHealthy(state, !compare(reading.value, rule.op, rule.clearThreshold ?? rule.threshold), now);
    }
    if (!holds) {
      state.pendingSince = null;
      return null;
    }
    state.pendingSince ??= now;
    if (now - state.pendingSince < rule.forSec * 1000) return null;
    return this.fire(state, rule, now, { value: reading.value, threshold: rule.threshold, unit: reading.unit, message: thresholdMessage(rule, reading, reading.value) });
  }

  private stepTrend(state: SeriesState, rule: Extract<AlertRule, { kind: 'trend' }>, reading: MetricReading, now: number): EngineTransition | null {
    const windowMs = rule.windowSec * 1000;
    const last = state.points.at(-1);
    if (!last || now - last.t >= windowMs / 300) state.points.push({ t: now, v: reading.value });
    while (state.points.length > 0 && state.points[0]!.t < now - windowMs) state.points.shift();
    const span = state.points.length > 0 ? now - state.points[0]!.t : 0;
    const fit = state.points.length >= 10 && span >= windowMs * 0.8 ? fitLine(state.points.map((p) => p.t), state.points.map((p) => p.v)) : null;
    const slopePerMin = fit ? fit.slope * 60_000 : 0;
    const steep = rule.minSlopePerMin >= 0 ? slopePerMin >= rule.minSlopePerMin : slopePerMin <= rule.minSlopePerMin;
    const holds = fit !== null && steep && fit.r2 >= rule.minR2;
    const unit = `${reading.unit}/min`;
    const message = `${rule.name}: ${reading.name} ${slopePerMin >= 0 ? 'rising' : 'falling'} ${formatNumber(Math.abs(slopePerMin))} ${unit} over the last ${formatWindow(rule.windowSec)} (R² ${formatNumber(fit?.r2 ?? 0)})`;
    if (state.firing) {
      state.firing.value = slopePerMin;
      state.firing.peak = rule.minSlopePerMin >= 0 ? Math.max(state.firing.peak, slopePerMin) : Math.min(state.firing.peak, slopePerMin);
      if (holds) state.firing.message = message;
      return this.stepHealthy(state, !holds, now);
    }
    if (!holds) return null;
    return this.fire(state, rule, now, { value: slopePerMin, threshold: rule.minSlopePerMin, unit, message });
  }

  private fire(state: SeriesState, rule: AlertRule, now: number, detail: { value: number; threshold: number; unit: string; message: string }): EngineTransition {
    state.pendingSince = null;
    state.healthySince = null;
    state.firing = {
      key: `${rule.id}|${state.metric}`,
      ruleId: rule.id,
      ruleName: rule.name,
      metric: state.metric,
      severity: rule.severity,
      firedAt: now,
      threshold: detail.threshold,
      unit: detail.unit,
      value: detail.value,
      peak: detail.value,
      message: detail.message,
    };
    return { kind: 'fired', alert: state.firing, at: now };
  }

  /** While firing: clears once `healthy` has held for the rule's clearForSec. */
  private stepHealthy(state: SeriesState, healthy: boolean, now: number): EngineTransition | null {
    if (!healthy) {
      state.healthySince = null;
      return null;
    }
    state.healthySince ??= now;
    if (now - state.healthySince < state.rule.clearForSec * 1000 || !state.firing) return null;
    const alert = state.firing;
    state.firing = null;
    state.healthySince = null;
    state.points = [];
    return { kind: 'cleared', alert, at: now, clearedBy: 'recovered' };
  }
}

function compare(value: number, op: '>' | '>=' | '<' | '<=', threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

function worse(op: '>' | '>=' | '<' | '<=', a: number, b: number): number {
  return op === '>' || op === '>=' ? Math.max(a, b) : Math.min(a, b);
}

function thresholdMessage(rule: Extract<AlertRule, { kind: 'threshold' }>, reading: MetricReading, peak: number): string {
  const unit = reading.unit ? ` ${reading.unit}` : '';
  const duration = rule.forSec > 0 ? ` for ${formatNumber(rule.forSec)} s` : '';
  const worst = peak !== reading.value ? `, worst ${formatNumber(peak)}${unit}` : '';
  return `${rule.name}: ${reading.name} ${rule.op} ${formatNumber(rule.threshold)}${unit}${duration} (now ${formatNumber(reading.value)}${unit}${worst})`;
}

export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2).replace(/\.?0+$/, '') || '0';
}

function formatWindow(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}
