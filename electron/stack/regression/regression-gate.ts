import type { Database } from 'better-sqlite3';
import { BaselineNameSchema, type GateSettings, type RegressionReport, type regressionMethods } from '../../../shared/contract/regression';
import type { RunRecord, RunSample } from '../../../shared/contract/stress';
import type { Clock } from '../clock/clock';
import { BulkheadError } from '../errors';
import type { HandlersOf } from '../service/feature';
import type { RegressionHook, RegressionVerdict } from '../stress/extensions';
import { createRunsRepo } from '../stress/runs-repo';
import { baselineInfo, createBaselinesRepo, type StoredBaseline } from './baselines-repo';
import { compareRuns } from './compare-runs';
import { runWindows } from './run-windows';

/** Fewer windows than this and a run cannot serve as a baseline (the gate would always say "insufficient"). */
const MIN_BASELINE_WINDOWS = 6;

export interface RegressionGate extends RegressionHook {
  checkBeforeRun(names: { baseline?: string | undefined; saveBaseline?: string | undefined }): void;
  /** The full per-metric comparison of a stored run with a baseline. */
  report(baselineName: string, runId: string, settings?: Partial<GateSettings>): RegressionReport;
  readonly handlers: HandlersOf<typeof regressionMethods>;
}

/**
 * The regression gate over the app store: baselines saved from finished stress runs, and comparisons
 * of later runs with them (see compare-runs.ts for the statistics). Plugs into the stress service as
 * its RegressionHook (`--baseline` / `--save-baseline`) and answers the panel's regression.* calls.
 */
export function createRegressionGate(deps: { db: Database; clock: Clock }): RegressionGate {
  const baselines = createBaselinesRepo(deps.db);
  const runs = createRunsRepo(deps.db);

  const requireBaseline = (name: string): StoredBaseline => {
    const baseline = baselines.get(name);
    if (!baseline) {
      const known = baselines.list().map((b) => b.name);
      throw new BulkheadError('BASELINE_NOT_FOUND', `There is no baseline named ${JSON.stringify(name)}.`, {
        remedy: known.length > 0 ? `Saved baselines: ${known.join(', ')}.` : 'Save one first: bulkhead stress --profile NAME --save-baseline NAME.',
      });
    }
    return baseline;
  };

  const requireRun = (runId: string): { run: RunRecord; samples: RunSample[] } => {
    const run = runs.get(runId);
    if (!run) throw new BulkheadError('RUN_NOT_FOUND', `There is no stress run ${runId}.`, { remedy: 'Pick one from the History page or stress.runs.list.' });
    if (run.status === 'running') throw new BulkheadError('RUN_NOT_FINISHED', `Run ${runId} is still running.`, { remedy: 'Wait for it to finish.' });
    return { run, samples: runs.samples(runId, 1_000_000) };
  };

  const checkName = (name: string): void => {
    const checked = BaselineNameSchema.safeParse(name);
    if (!checked.success) {
      throw new BulkheadError('BASELINE_BAD_NAME', `Baseline name ${JSON.stringify(name)}: ${checked.error.issues[0]?.message ?? 'invalid'}.`, { remedy: 'For example: main, v1.4, before-pool-change.' });
    }
  };

  const save = (name: string, run: RunRecord, samples: readonly RunSample[]): StoredBaseline => {
    checkName(name);
    const windows = runWindows(samples, runs.latencyBySecond(run.id));
    if (windows.windows.length < MIN_BASELINE_WINDOWS) {
      throw new BulkheadError('BASELINE_TOO_SHORT', `Run ${run.id} has ${windows.windows.length} measurement windows; a baseline needs at least ${MIN_BASELINE_WINDOWS}.`, {
        remedy: 'Use a run of at least 20 seconds (longer runs give the gate more power).',
      });
    }
    const stored: StoredBaseline = { name, runId: run.id, createdAt: deps.clock.now(), label: describeRun(run), profile: run.name, mode: run.config.mode, windows };
    baselines.save(stored);
    return stored;
  };

  const compare = (name: string, run: RunRecord, samples: readonly RunSample[], settings?: Partial<GateSettings>): RegressionReport => {
    const baseline = requireBaseline(name);
    return compareRuns({
      baseline: { name, runId: baseline.runId, data: baseline.windows },
      // Cut like the baseline: the same window length on both sides, so each window's figures are alike.
      current: { runId: run.id, data: runWindows(samples, runs.latencyBySecond(run.id), baseline.windows.windowMs / 1000) },
      ...(settings ? { settings } : {}),
    });
  };

  const verdict = (name: string, run: RunRecord, samples: readonly RunSample[]): RegressionVerdict => {
    const baseline = requireBaseline(name);
    const report = compare(name, run, samples);
    const moved = report.metrics.filter((m) => m.verdict === 'regressed').map((m) => m.explanation);
    const unlike = baseline.profile !== run.name || baseline.mode !== run.config.mode ? ` Note: the baseline ran ${baseline.label}; this run ${describeRun(run)}.` : '';
    return { regressed: report.regressed, detail: `${report.summary}${moved.length > 0 ? ` ${moved.join(' ')}` : ''}${unlike}` };
  };

  return {
    checkBeforeRun: ({ baseline, saveBaseline }) => {
      if (baseline !== undefined) requireBaseline(baseline);
      if (saveBaseline !== undefined) checkName(saveBaseline);
    },
    saveBaseline: (name, run, samples) => void save(name, run, samples),
    compare: verdict,
    report: (baselineName, runId, settings) => {
      const { run, samples } = requireRun(runId);
      return compare(baselineName, run, samples, settings);
    },
    handlers: {
      'regression.baselines.list': () => baselines.list().map((b) => baselineInfo(b, runs.get(b.runId)?.summary ?? null)),
      'regression.baselines.save': ({ name, runId }) => {
        const { run, samples } = requireRun(runId);
        return baselineInfo(save(name, run, samples), run.summary);
      },
      'regression.baselines.delete': ({ name }) => ({ deleted: baselines.delete(name) }),
      'regression.compare': ({ baseline, runId, minEffectPct, alpha }) => {
        const { run, samples } = requireRun(runId);
        return compare(baseline, run, samples, { ...(minEffectPct === undefined ? {} : { minEffectPct }), ...(alpha === undefined ? {} : { alpha }) });
      },
    },
  };
}

function describeRun(run: RunRecord): string {
  const s = run.summary;
  const rate = s ? `${s.rate.target} req/s` : run.config.rateOverride ? `${run.config.rateOverride} req/s` : '';
  const length = s ? `${s.duration_s} s` : '';
  return [run.name, run.config.mode, rate, length].filter(Boolean).join(' · ');
}
