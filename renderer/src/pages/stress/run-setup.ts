import type { ProfileInfo, RunRecord, StackMode, StartRunParams, ThresholdSpec } from '../../../../shared/contract';
import { planTotals, type PlanTotals } from '../../../../shared/stress-plan-totals';
import { EMPTY_TARGET, profileWithTarget, validateTarget, type TargetErrors, type TargetSetup } from './target-setup';
import { AGGREGATIONS, THRESHOLD_EXPRESSION, THRESHOLD_METRICS, THRESHOLD_METRIC_NAMES, isThresholdMetric } from '../../../../shared/threshold-syntax';

/** The Stress form as typed: numbers stay text until they are checked. */
export interface RunSetup {
  /** What the run loads: the built-in agent stack, or an HTTP endpoint. */
  against: 'stack' | 'http';
  target: TargetSetup;
  profile: string;
  mode: StackMode;
  rate: string;
  durationS: string;
  thresholds: string;
}

/** Every problem with the form, by field, in the user's words; empty when the run can start. */
export interface SetupErrors {
  profile?: string;
  rate?: string;
  durationS?: string;
  /** One message per bad threshold line. */
  thresholds?: string[];
  /** The HTTP endpoint's fields, when the run is against one. */
  target?: TargetErrors;
}

const MAX_RATE = 100_000;
const MAX_DURATION_S = 7 * 24 * 3600;

/** A profile's thresholds as editable text: one `metric: expression` per line. */
export function thresholdsToText(spec: ThresholdSpec): string {
  const lines: string[] = [];
  for (const [metric, entries] of Object.entries(spec)) {
    for (const entry of entries) {
      if (typeof entry === 'string') lines.push(`${metric}: ${entry}`);
      else lines.push(`${metric}: ${entry.threshold}${entry.abortOnFail ? ' abortOnFail' : ''}${entry.delayAbortEval ? ` delayAbortEval=${entry.delayAbortEval}` : ''}`);
    }
  }
  return lines.join('\n');
}

/**
 * Parses the threshold text and checks each line as the stack will (metric, expression, aggregation for
 * that kind of metric), so every mistake is named by its line before anything is sent.
 */
export function textToThresholds(text: string): { spec: ThresholdSpec; errors: string[] } {
  const spec: ThresholdSpec = {};
  const errors: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    const where = `Line ${index + 1}`;
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    if (colon <= 0) {
      errors.push(`${where} (“${line}”) needs the form “metric: expression”, e.g. “latency_ms: p(95)<800”.`);
      return;
    }
    const metric = line.slice(0, colon).trim();
    const words = line.slice(colon + 1).trim().split(/\s+/);
    const expression = words.filter((w) => w !== 'abortOnFail' && !w.startsWith('delayAbortEval=')).join('');
    const abortOnFail = words.includes('abortOnFail');
    const delay = words.find((w) => w.startsWith('delayAbortEval='))?.slice('delayAbortEval='.length);
    const problem = checkThreshold(metric, expression, delay);
    if (problem) {
      errors.push(`${where}: ${problem}`);
      return;
    }
    (spec[metric] ??= []).push(abortOnFail || delay ? { threshold: expression, ...(abortOnFail ? { abortOnFail } : {}), ...(delay ? { delayAbortEval: delay } : {}) } : expression);
  });
  return { spec, errors };
}

function checkThreshold(metric: string, expression: string, delay: string | undefined): string | null {
  if (!isThresholdMetric(metric)) return `“${metric}” is not a metric Bulkhead measures. Use one of: ${THRESHOLD_METRIC_NAMES.join(', ')}.`;
  if (expression === '') return `${metric} needs an expression after the colon, e.g. ${example(metric)}.`;
  const match = THRESHOLD_EXPRESSION.exec(expression);
  if (!match) return `“${expression}” is not a threshold. Write an aggregation, a comparison and a number, e.g. ${example(metric)}.`;
  const percentile = match[2];
  if (percentile !== undefined && (Number(percentile) <= 0 || Number(percentile) > 100)) return `p(${percentile}) is not a percentile; use a number above 0 and at most 100, e.g. p(95).`;
  const { kind } = THRESHOLD_METRICS[metric];
  const aggregation = percentile !== undefined ? 'p(N)' : match[1]!.toLowerCase();
  if (!AGGREGATIONS[kind].includes(aggregation)) {
    const shown = aggregation === 'p(N)' ? 'a percentile' : aggregation;
    return `${shown} does not apply to ${metric} (${THRESHOLD_METRICS[metric].description}); use ${AGGREGATIONS[kind].join(' or ')}, e.g. ${example(metric)}.`;
  }
  if (delay !== undefined && !/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(delay)) return `delayAbortEval=${delay} is not a duration; write it like 10s, 1m or 500ms.`;
  return null;
}

function example(metric: keyof typeof THRESHOLD_METRICS): string {
  const kind = THRESHOLD_METRICS[metric].kind;
  return kind === 'trend' ? 'p(95)<800' : kind === 'rate' ? 'rate<0.01' : kind === 'counter' ? 'count<50' : 'max<=20';
}

/** A number field: empty = the profile's own value; otherwise a positive number up to `max`. */
function readPositive(text: string, max: number, problem: string): { value?: number; error?: string } {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  // Number('0x10') is 16 and Number('1e3') is 1000: accept plain decimals only, as a person types them.
  if (!/^\d*\.?\d+$|^\d+\.$/.test(trimmed)) return { error: problem };
  const value = Number(trimmed);
  if (!(value > 0) || value > max) return { error: problem };
  return { value };
}

/** Checks the whole form; `params` is what Start sends, null while anything is wrong. */
export function validateSetup(setup: RunSetup, profile: ProfileInfo | undefined): { params: StartRunParams | null; errors: SetupErrors } {
  const errors: SetupErrors = {};
  if (!profile) errors.profile = 'Pick a profile.';
  const rate = readPositive(setup.rate, MAX_RATE, `Peak rate is requests per second: a number above 0 and at most ${MAX_RATE.toLocaleString('en')}, or empty for the profile’s own${profile ? ` (${profile.peakRate}/s)` : ''}.`);
  if (rate.error) errors.rate = rate.error;
  const duration = readPositive(setup.durationS, MAX_DURATION_S, `Duration is in seconds: a number above 0 and at most a week (${MAX_DURATION_S.toLocaleString('en')}), or empty for the profile’s own${profile ? ` (${profile.durationS} s)` : ''}.`);
  if (duration.error) errors.durationS = duration.error;
  const thresholds = textToThresholds(setup.thresholds);
  if (thresholds.errors.length > 0) errors.thresholds = thresholds.errors;
  const target = setup.against === 'http' ? validateTarget(setup.target) : null;
  if (target && Object.keys(target.errors).length > 0) errors.target = target.errors;
  if (Object.keys(errors).length > 0 || !profile) return { params: null, errors };
  return {
    params: {
      // Against an endpoint the picked profile is sent as content with the target in it (the contract takes no path).
      profile: target?.target ? profileWithTarget(profile.profile, target.target) : setup.profile,
      mode: setup.mode,
      thresholds: thresholds.spec,
      ...(rate.value === undefined ? {} : { rate: rate.value }),
      ...(duration.value === undefined ? {} : { durationS: duration.value }),
    },
    errors,
  };
}

export function hasErrors(errors: SetupErrors): boolean {
  return Object.keys(errors).length > 0;
}

/** The run the form describes: the profile's totals after the overrides that are valid so far. */
export function plannedRun(setup: RunSetup, profile: ProfileInfo): PlanTotals & { overridden: boolean } {
  const rate = readPositive(setup.rate, MAX_RATE, '').value;
  const durationS = readPositive(setup.durationS, MAX_DURATION_S, '').value;
  return { ...planTotals(profile.profile.stages, { rate, durationS }), overridden: rate !== undefined || durationS !== undefined };
}

/**
 * The form's first state: the profile and mode of the last run in this data dir (it is stored with the run,
 * so it survives restarts and works in the desktop app and the browser host alike), or light on a fresh one.
 */
export function initialSetup(profiles: readonly ProfileInfo[], lastRun: RunRecord | null): RunSetup {
  const remembered = lastRun ? profiles.find((p) => p.profile.name === lastRun.name) : undefined;
  const first = remembered ?? profiles.find((p) => p.profile.name === 'light') ?? profiles[0];
  const lastTarget = lastRun?.config.profile.target;
  return {
    against: lastTarget ? 'http' : 'stack',
    // The last endpoint's URL and settings come back; its headers do not (they are stored masked).
    target: lastTarget
      ? { ...EMPTY_TARGET, url: lastTarget.url, method: lastTarget.method ?? '', expectStatus: lastTarget.expectStatus, timeoutS: String(lastTarget.timeoutS), connections: String(lastTarget.connections), body: lastTarget.body ?? '' }
      : EMPTY_TARGET,
    profile: first?.profile.name ?? '',
    mode: remembered ? lastRun!.config.mode : 'governed',
    rate: '',
    durationS: '',
    thresholds: first ? thresholdsToText(first.profile.thresholds) : '',
  };
}

/** Server-side rejections mapped onto the field they are about (the form checks first; this is the backstop). */
export function serverErrorsByField(code: string, message: string, issues: ReadonlyArray<{ path: string; message: string }> | undefined): SetupErrors | null {
  if (code === 'STRESS_BAD_THRESHOLD') return { thresholds: [message.replace(/^thresholds\.[^:]*:\s*/, '')] };
  if (code !== 'INVALID_PARAMS' || !issues) return null;
  const errors: SetupErrors = {};
  for (const issue of issues) {
    if (issue.path === 'rate') errors.rate = `Peak rate: ${issue.message}`;
    else if (issue.path === 'durationS') errors.durationS = `Duration: ${issue.message}`;
    else if (issue.path.startsWith('thresholds')) (errors.thresholds ??= []).push(issue.message);
    else if (issue.path.startsWith('profile')) errors.target = { ...errors.target, url: issue.message };
  }
  return hasErrors(errors) ? errors : null;
}

export function formatDuration(seconds: number): string {
  if (seconds >= 3600) return `${+(seconds / 3600).toFixed(1)} h`;
  if (seconds >= 120) return `${+(seconds / 60).toFixed(1)} min`;
  return `${+seconds.toFixed(1)} s`;
}
