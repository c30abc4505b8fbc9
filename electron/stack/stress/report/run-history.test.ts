import { afterEach, describe, expect, it } from 'vitest';
import type { RunConfig, RunRecord, RunSample, RunSummary } from '../../../../shared/contract/stress';
import { startStack, type Stack } from '../../stack';
import { makeTempDir } from '../../testing/temp-dir';
import { createRunsRepo, type RunsRepo } from '../runs-repo';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function stackWithRuns(): Promise<{ stack: Stack; repo: RunsRepo }> {
  const dir = makeTempDir();
  cleanups.push(() => dir.remove());
  const stack = await startStack({ dataDir: dir.path, role: 'test', database: 'none' });
  cleanups.push(() => stack.stop());
  return { stack, repo: createRunsRepo(stack.core.store.db) };
}

function config(name: string, mode: 'governed' | 'unbounded'): RunConfig {
  return {
    profile: { name, description: 'A <b>test</b> profile', mix: { 'rag-answer': 1 }, stages: [{ executor: 'constant-arrival-rate', durationS: 3, rate: 2 }], maxVUs: 10, gracefulStopS: 1, thresholds: {} },
    mode,
    provider: 'simulator',
    providerUrl: null,
    chaos: null,
    rateOverride: null,
    durationOverrideS: 3,
    baseline: null,
    saveBaseline: null,
    source: 'panel',
    // A provider URL in the text of the report is not a request the report makes.
    providerEndpoint: 'simulator http://127.0.0.1:41234/v1',
  };
}

function summary(name: string, mode: 'governed' | 'unbounded', ok: boolean): RunSummary {
  return {
    run_id: 'x',
    profile: name,
    mode,
    ok,
    status: 'completed',
    thresholds: [{ expr: 'latency_ms: p(95)<800', ok, value: ok ? 120 : 950 }],
    requests: { planned: 6, completed: 6, failed: 0, dropped: 0, late: 0, shed: 0 },
    rate: { target: 2, achieved: 2, peak: 2 },
    latency_ms: { p50: 50, p90: 90, p95: 120, p99: 200, max: 250 },
    errors: {},
    provider: { http_429: 0, retries: 0, calls: 6, name: 'simulator' },
    db: { max_server_connections: 3, pool_max: 6, acquire_wait_p99_ms: 1, too_many_clients: 0 },
    runtime: { event_loop_p99_ms: 4, heap_peak_mb: 50, rss_peak_mb: 120 },
    duration_s: 3,
    chaos: null,
    regression: null,
  };
}

function sample(second: number): RunSample {
  return {
    t: 1_000 + second * 1000, second, targetRate: 2, started: 2, completed: 2, failed: 0, dropped: 0, late: 0, inFlight: 0,
    latencyMs: { p50: 40 + second, p95: 90 + second, p99: 150 + second, max: 200 }, errors: {}, http429: second === 2 ? 1 : 0, retries: 0,
    dbConnections: 3, poolWaiting: 0, semaphoreWaitP99Ms: 1, limiterWaitP99Ms: 2, poolAcquireP99Ms: 0.5, providerP95Ms: 80, eventLoopP99Ms: 3, rssMb: 120, heapUsedMb: 50,
  };
}

function addRun(repo: RunsRepo, id: string, name: string, mode: 'governed' | 'unbounded', outcome: 'completed' | 'failed' | 'running', createdAt: number): void {
  repo.create({ id, name, createdAt, startedAt: createdAt, config: config(name, mode) });
  for (const second of [1, 2, 3]) repo.appendSample(id, sample(second));
  if (outcome !== 'running') repo.finish(id, { status: 'completed', endedAt: createdAt + 3000, summary: summary(name, mode, outcome === 'completed'), error: null });
}

async function call<R>(stack: Stack, method: string, params: unknown): Promise<{ ok: true; result: R } | { ok: false; error: { code: string; message: string; remedy?: string } }> {
  return (await stack.dispatcher.dispatch(method as 'stress.runs.list', params as never, { transport: 'in-process' })) as never;
}

describe('History: filter, delete and export stored runs', () => {
  it('filters by profile, mode and status, newest first', async () => {
    const { stack, repo } = await stackWithRuns();
    addRun(repo, 'a', 'light', 'governed', 'completed', 1);
    addRun(repo, 'b', 'light', 'unbounded', 'completed', 2);
    addRun(repo, 'c', 'heavy', 'unbounded', 'completed', 3);
    addRun(repo, 'd', 'heavy', 'governed', 'running', 4);
    const ids = async (params: object): Promise<string[]> => {
      const answer = await call<RunRecord[]>(stack, 'stress.runs.list', { limit: 50, ...params });
      if (!answer.ok) throw new Error(answer.error.message);
      return answer.result.map((run) => run.id);
    };
    expect(await ids({})).toEqual(['d', 'c', 'b', 'a']);
    expect(await ids({ profile: 'light' })).toEqual(['b', 'a']);
    expect(await ids({ mode: 'unbounded' })).toEqual(['c', 'b']);
    expect(await ids({ status: 'running' })).toEqual(['d']);
    expect(await ids({ profile: 'heavy', mode: 'unbounded', status: 'completed' })).toEqual(['c']);
    expect(await ids({ limit: 1 })).toEqual(['d']);
    const bad = await call(stack, 'stress.runs.list', { limit: 5, mode: 'sideways' });
    expect(bad.ok).toBe(false);
  });

  it('deletes a finished run with its samples, and refuses the running one with a remedy', async () => {
    const { stack, repo } = await stackWithRuns();
    addRun(repo, 'done', 'light', 'governed', 'completed', 1);
    addRun(repo, 'live', 'light', 'governed', 'running', 2);

    expect(await call(stack, 'stress.runs.delete', { runId: 'done' })).toEqual({ ok: true, result: { deleted: true } });
    expect(repo.get('done')).toBeNull();
    expect(repo.sampleCount('done')).toBe(0);
    expect(await call(stack, 'stress.runs.delete', { runId: 'done' })).toEqual({ ok: true, result: { deleted: false } });

    const refused = await call(stack, 'stress.runs.delete', { runId: 'live' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('STRESS_RUN_RUNNING');
      expect(refused.error.remedy).toMatch(/Stop it/);
    }
    expect(repo.get('live')?.status).toBe('running');
  });

  it('exports a run as JSON with every sample', async () => {
    const { stack, repo } = await stackWithRuns();
    addRun(repo, 'r1', 'light', 'governed', 'completed', 1);
    const answer = await call<{ filename: string; mimeType: string; content: string }>(stack, 'stress.runs.export', { runId: 'r1', format: 'json' });
    if (!answer.ok) throw new Error(answer.error.message);
    expect(answer.result.filename).toBe('bulkhead-light-governed-r1.json');
    expect(answer.result.mimeType).toBe('application/json');
    const parsed = JSON.parse(answer.result.content) as { bulkheadRunExport: number; run: RunRecord; samples: RunSample[] };
    expect(parsed.bulkheadRunExport).toBe(1);
    expect(parsed.run.id).toBe('r1');
    expect(parsed.samples.map((s) => s.second)).toEqual([1, 2, 3]);
  });

  it('exports a self-contained HTML report: verdict, thresholds, SVG charts, no script and no external request', async () => {
    const { stack, repo } = await stackWithRuns();
    addRun(repo, 'r2', 'light', 'governed', 'failed', 1);
    const answer = await call<{ filename: string; mimeType: string; content: string }>(stack, 'stress.runs.export', { runId: 'r2', format: 'html' });
    if (!answer.ok) throw new Error(answer.error.message);
    const html = answer.result.content;
    expect(answer.result).toMatchObject({ filename: 'bulkhead-light-governed-r2.html', mimeType: 'text/html' });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).toContain("default-src 'none'");
    expect(html).toMatch(/<span class="badge tone-bad">failed<\/span>/);
    expect(html).toContain('latency_ms: p(95)&lt;800');
    expect(html.match(/<svg /g)).toHaveLength(5);
    expect(html).toContain('<polyline');
    // Text is escaped, never markup.
    expect(html).toContain('A &lt;b&gt;test&lt;/b&gt; profile');
    // Nothing that would make the browser fetch anything.
    expect(html).not.toMatch(/<(script|link|img|iframe|object|embed|base)\b/i);
    expect(html).not.toMatch(/\b(src|href|action|srcset|xlink:href)\s*=/i);
    expect(html).not.toMatch(/url\(|@import/i);
    // URLs appear only as text (the provider endpoint), never in a tag.
    for (const tag of html.match(/<[^>]+>/g) ?? []) expect(tag).not.toMatch(/https?:|\/\//);
  });

  it('names an unknown run in the export error', async () => {
    const { stack } = await stackWithRuns();
    const answer = await call(stack, 'stress.runs.export', { runId: 'nope', format: 'html' });
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error.code).toBe('STRESS_RUN_NOT_FOUND');
  });
});
