import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { ProfileInfo, RunConfig, RunProgress, RunRecord, RunSample, RunSummary } from '../../../shared/contract/stress';
import type { StartRunParamsSchema } from '../../../shared/contract/stress';
import { BulkheadError, describeError } from '../errors';
import type { StackCore } from '../stack-core';
import type { ChaosSession, StressExtensions } from './extensions';
import { redactProfile } from './redact-target';
import { listProfiles, planOf, resolveProfileParam, scaleProfile } from './profiles';
import type { RunEnvironment, RunEnvironmentFactory } from './run-environment';
import { createRunsRepo, type RunsRepo } from './runs-repo';
import { StressRunner } from './stress-runner';
import { parseThresholds, type Threshold } from './thresholds';

export type StartParams = z.output<typeof StartRunParamsSchema>;

export interface StartedRun {
  readonly runId: string;
  /** Resolves with the stored record once the run ended (completed, stopped, aborted or failed). */
  readonly done: Promise<RunRecord>;
}

export interface StressService {
  profiles(): Promise<ProfileInfo[]>;
  /** Checks everything it can before the run is created (profile, thresholds, names, the provider key). */
  start(params: StartParams, source: RunConfig['source']): Promise<StartedRun>;
  /** Stops the running run (or the one named); false when nothing matched. */
  stop(runId?: string): boolean;
  status(): RunProgress | null;
  runs(): RunsRepo;
  /** Stops a running run and waits for it, for stack shutdown. */
  dispose(): Promise<void>;
}

interface ActiveRun {
  readonly runId: string;
  /** As stored: a target's secrets masked. */
  readonly config: RunConfig;
  /** As it runs: the target's real headers, in memory only. */
  readonly profile: RunConfig['profile'];
  readonly controller: AbortController;
  readonly plannedMs: number;
  readonly planned: number;
  readonly thresholds: readonly Threshold[];
  runner: StressRunner | null;
  done: Promise<RunRecord>;
}

function newRunId(now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `run-${stamp}-${randomBytes(3).toString('hex')}`;
}

/**
 * Stress runs as a feature of the stack: one run at a time, its progress pushed on the monitor's beat,
 * each second stored as a run sample and pushed, the result stored with the run. At creation, runs a
 * crashed process left 'running' are marked 'interrupted' (their samples are kept).
 */
export function createStressService(core: StackCore, environments: RunEnvironmentFactory, extensions: StressExtensions = {}): StressService {
  const repo = createRunsRepo(core.store.db);
  const log = core.log.child('stress');
  const interrupted = repo.markInterrupted(core.clock.now());
  if (interrupted.length > 0) {
    const from = core.lock.recoveredFrom ? ` (previous process pid ${core.lock.recoveredFrom.pid} died)` : '';
    log.warn(`marked ${interrupted.length} stress run(s) left running as interrupted${from}: ${interrupted.map((r) => r.id).join(', ')}`);
  }
  let active: ActiveRun | null = null;

  const stopProgress = core.monitor.onTick(() => {
    if (active) core.hub.publish('stress.progress', progressOf(active));
  });

  function progressOf(run: ActiveRun): RunProgress {
    if (run.runner) {
      const progress = run.runner.progress();
      return run.controller.signal.aborted && progress.status === 'running' ? { ...progress, status: 'stopped' } : progress;
    }
    return {
      runId: run.runId,
      profile: run.config.profile.name,
      mode: run.config.mode,
      status: 'running',
      phase: 'preparing',
      elapsedMs: 0,
      plannedMs: run.plannedMs,
      targetRate: 0,
      achievedRate: 0,
      requests: { planned: run.planned, started: 0, completed: 0, failed: 0, dropped: 0, late: 0, inFlight: 0 },
      latencyMs: { p50: 0, p95: 0, p99: 0 },
      errors: {},
      http429: 0,
      dbConnections: null,
      thresholds: [],
      ...(run.config.profile.target ? { target: run.config.profile.target.url } : {}),
    };
  }

  async function execute(run: ActiveRun): Promise<RunRecord> {
    const { runId, config, controller } = run;
    const signal = controller.signal;
    let environment: RunEnvironment | null = null;
    let chaos: ChaosSession | null = null;
    let summary: RunSummary | null = null;
    let error: string | null;
    let status: RunRecord['status'];
    try {
      environment = await environments({
        runId,
        profile: run.profile,
        mode: config.mode,
        provider: config.provider,
        providerUrl: config.providerUrl,
        clock: core.clock,
        log,
        signal,
      });
      if (environment.providerDescription) repo.updateConfig(runId, { ...config, providerEndpoint: environment.providerDescription });
      if (config.chaos) {
        chaos = await extensions.chaos!.prepare(config.chaos, {
          runId,
          clock: core.clock,
          log,
          signal,
          database: environment.database,
          providerUrl: environment.providerUrl,
          simulator: environment.simulator,
        });
      }
      const described = environment.providerDescription;
      const workload = await environment.buildWorkload({ providerUrl: chaos?.providerUrl, databaseEndpoint: chaos?.databaseEndpoint });
      // Once the client is open the description names the real endpoint (a key's own base URL) and the masked key.
      if (environment.providerDescription && environment.providerDescription !== described) repo.updateConfig(runId, { ...config, providerEndpoint: environment.providerDescription });
      signal.throwIfAborted();
      const runner = new StressRunner({
        clock: core.clock,
        runId,
        profile: run.profile,
        mode: config.mode,
        workload,
        thresholds: run.thresholds,
        connections: environment.connections,
        chaos: chaos ? `${config.chaos}: ${chaos.describe()}` : null,
        targetLabel: config.profile.target?.url ?? null,
        onSample: (sample: RunSample, latency) => {
          try {
            repo.appendSample(runId, sample, latency);
          } catch (storeError) {
            log.warn('could not store a run sample', storeError);
          }
          core.hub.publish('stress.sample', { runId, sample });
        },
      });
      run.runner = runner;
      chaos?.start();
      summary = await runner.run(signal);
      status = summary.status;
      error = runner.abortReason;
    } catch (thrown) {
      status = signal.aborted ? 'stopped' : 'failed';
      const remedy = thrown instanceof BulkheadError && thrown.remedy ? ` Fix: ${thrown.remedy}` : '';
      // A BulkheadError's message is already written for the user; its code would only be noise there.
      error = signal.aborted ? 'Stopped before the first arrival.' : `${thrown instanceof BulkheadError ? thrown.message : describeError(thrown)}${remedy}`;
      // Expected failures (no key, no database) are in the run record; a bug also goes to the log.
      if (!signal.aborted) (thrown instanceof BulkheadError ? log.info : log.warn)(`stress run ${runId} failed`, thrown);
    } finally {
      await chaos?.stop().catch((e: unknown) => log.warn('chaos scenario did not stop cleanly', e));
      await environment?.close().catch((e: unknown) => log.warn('run environment did not close cleanly', e));
    }
    if (chaos?.finish) {
      // After the environment closed: the verdict checks the server's view once the run's clients are gone.
      const verdict = await chaos
        .finish({ summary, samples: repo.samples(runId, 100_000) })
        .catch((e: unknown) => ({ ok: false, detail: `the chaos verdict failed: ${describeError(e)}` }));
      if (summary) summary = { ...summary, ok: summary.ok && verdict.ok, chaos: `${config.chaos}: ${verdict.detail}` };
    }
    const endedAt = core.clock.now();
    repo.finish(runId, { status, endedAt, summary, error });
    let record = repo.get(runId)!;
    if (summary && (config.baseline || config.saveBaseline)) record = applyBaseline(record, summary);
    return record;
  }

  function applyBaseline(record: RunRecord, summary: RunSummary): RunRecord {
    const regression = extensions.regression!;
    const samples = repo.samples(record.id, 100_000);
    try {
      if (record.config.saveBaseline) {
        regression.saveBaseline(record.config.saveBaseline, record, samples);
        return record;
      }
      const verdict = regression.compare(record.config.baseline!, record, samples);
      const updated: RunSummary = { ...summary, ok: summary.ok && !verdict.regressed, regression: { baseline: record.config.baseline!, ...verdict } };
      repo.finish(record.id, { status: record.status, endedAt: record.endedAt ?? core.clock.now(), summary: updated, error: record.error });
      return repo.get(record.id)!;
    } catch (thrown) {
      const message = `baseline: ${describeError(thrown)}`;
      repo.finish(record.id, { status: record.status, endedAt: record.endedAt ?? core.clock.now(), summary: { ...summary, ok: false }, error: message });
      return repo.get(record.id)!;
    }
  }

  return {
    profiles: async () =>
      (await listProfiles(core.dataDir, (path, e) => log.warn(`skipping the saved stress profile ${path}`, e))).map(({ profile, builtin }) => {
        const plan = planOf(profile);
        return { profile, builtin, peakRate: plan.peakRate, durationS: plan.durationMs / 1000, plannedRequests: plan.plannedArrivals };
      }),

    async start(params, source) {
      const busy = (): void => {
        if (!active) return;
        throw new BulkheadError('STRESS_BUSY', `A stress run is already going (${active.runId}, ${active.config.profile.name}).`, {
          remedy: 'Wait for it to finish or stop it first: one run at a time keeps the measurements honest.',
        });
      };
      busy();
      if (params.chaos && !extensions.chaos) {
        throw new BulkheadError('STRESS_CHAOS_UNAVAILABLE', 'Chaos scenarios are not available in this build yet.', { remedy: 'Run without --chaos.' });
      }
      if ((params.baseline || params.saveBaseline) && !extensions.regression) {
        throw new BulkheadError('STRESS_BASELINE_UNAVAILABLE', 'The regression gate (baselines) is not available in this build yet.', {
          remedy: 'Run without --baseline / --save-baseline.',
        });
      }
      if (params.baseline || params.saveBaseline) extensions.regression?.checkBeforeRun?.({ baseline: params.baseline, saveBaseline: params.saveBaseline });
      if (params.chaos && extensions.chaos && !extensions.chaos.scenarios().some((s) => s.name === params.chaos)) {
        throw new BulkheadError('STRESS_UNKNOWN_CHAOS', `There is no chaos scenario named ${JSON.stringify(params.chaos)}.`, {
          remedy: `Use one of: ${extensions.chaos.scenarios().map((s) => s.name).join(', ')}.`,
        });
      }
      const loaded = await resolveProfileParam(params.profile, core.dataDir);
      const profile = scaleProfile(
        params.thresholds ? { ...loaded.profile, thresholds: params.thresholds } : loaded.profile,
        { rate: params.rate, durationS: params.durationS },
      );
      const thresholds = parseThresholds(profile.thresholds);
      const plan = planOf(profile);
      if (plan.plannedArrivals === 0) {
        throw new BulkheadError('STRESS_BAD_PROFILE', `Profile ${profile.name} would start no request at this rate and duration.`, {
          remedy: 'Raise --rate or --duration.',
        });
      }
      // A missing key or a URL the key is not bound to fails here, before a run record exists.
      if (!profile.target && params.provider !== 'simulator' && (profile.mix['rag-answer'] ?? 0) > 0) await extensions.keys?.checkBeforeRun(params.provider, params.providerUrl);
      busy();
      const now = core.clock.now();
      const runId = newRunId(now);
      const config: RunConfig = {
        profile: redactProfile(profile),
        mode: params.mode,
        provider: params.provider,
        providerUrl: params.providerUrl ?? null,
        chaos: params.chaos ?? null,
        rateOverride: params.rate ?? null,
        durationOverrideS: params.durationS ?? null,
        baseline: params.baseline ?? null,
        saveBaseline: params.saveBaseline ?? null,
        source,
        providerEndpoint: null,
      };
      repo.create({ id: runId, name: profile.name, createdAt: Math.round(now), startedAt: Math.round(now), config });
      const run: ActiveRun = {
        runId,
        config,
        profile,
        controller: new AbortController(),
        plannedMs: plan.durationMs,
        planned: plan.plannedArrivals,
        thresholds,
        runner: null,
        done: Promise.resolve(null as unknown as RunRecord),
      };
      active = run;
      const against = config.profile.target ? `HTTP target ${config.profile.target.url}` : params.mode;
      log.info(`stress run ${runId}: ${profile.name}, ${against}, ${plan.plannedArrivals} requests over ${plan.durationMs / 1000} s`);
      run.done = execute(run)
        .catch((thrown: unknown): RunRecord => {
          log.error(`stress run ${runId} could not be recorded`, thrown);
          throw thrown;
        })
        .finally(() => {
          if (active === run) active = null;
        });
      void run.done.then(
        (record) => core.hub.publish('stress.finished', record),
        () => undefined,
      );
      return { runId, done: run.done };
    },

    stop(runId) {
      if (!active || (runId !== undefined && runId !== active.runId)) return false;
      active.controller.abort(new Error('stopped by the user'));
      return true;
    },

    status: () => (active ? progressOf(active) : null),

    runs: () => repo,

    async dispose() {
      stopProgress();
      const run = active;
      if (!run) return;
      run.controller.abort(new Error('Bulkhead is stopping'));
      await run.done.catch(() => undefined);
    },
  };
}
