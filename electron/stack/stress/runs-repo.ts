import type { Database, Statement } from 'better-sqlite3';
import type { RunConfig, RunRecord, RunSample, RunStatus, RunSummary, RunsFilter } from '../../../shared/contract/stress';
import type { StoredLatencyHistogram } from '../../../shared/latency-histogram';

/** Stress runs in the app store's `runs` table (kind 'stress') and their per-second `run_samples`. */
export interface RunsRepo {
  create(record: { id: string; name: string; createdAt: number; startedAt: number; config: RunConfig }): void;
  updateConfig(runId: string, config: RunConfig): void;
  /** One second of a run, with the latency histogram of the requests that finished in it. */
  appendSample(runId: string, sample: RunSample, latency?: StoredLatencyHistogram): void;
  finish(runId: string, outcome: { status: RunStatus; endedAt: number; summary: RunSummary | null; error: string | null }): void;
  /** Marks runs still 'running' (their process died) as 'interrupted'; their samples stay. */
  markInterrupted(now: number): RunRecord[];
  get(runId: string): RunRecord | null;
  /** Newest first; `filter` narrows by profile, mode and status. */
  list(limit: number, filter?: Omit<RunsFilter, 'limit'>): RunRecord[];
  sampleCount(runId: string): number;
  /** Samples oldest first, thinned to at most `max` evenly spaced ones (the first and last always kept). */
  samples(runId: string, max: number): RunSample[];
  /** Each second's latency histogram, by sample second; empty for runs recorded before they were kept. */
  latencyBySecond(runId: string): Map<number, StoredLatencyHistogram>;
  delete(runId: string): boolean;
}

interface RunRow {
  id: string;
  name: string;
  status: string;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  config: string;
  summary: string | null;
  error: string | null;
}

const KIND = 'stress';

export function createRunsRepo(db: Database): RunsRepo {
  const insert: Statement<[string, string, string, string, number, number, string]> = db.prepare(
    'INSERT INTO runs (id, kind, name, status, created_at, started_at, config) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const updateConfig: Statement<[string, string]> = db.prepare('UPDATE runs SET config = ? WHERE id = ?');
  const insertSample: Statement<[string, number, string, string | null]> = db.prepare('INSERT INTO run_samples (run_id, t, data, latency) VALUES (?, ?, ?, ?)');
  const latencies: Statement<[string], { data: string; latency: string }> = db.prepare(
    'SELECT data, latency FROM run_samples WHERE run_id = ? AND latency IS NOT NULL ORDER BY t',
  );
  const finish: Statement<[string, number, string | null, string | null, string]> = db.prepare(
    'UPDATE runs SET status = ?, ended_at = ?, summary = ?, error = ? WHERE id = ?',
  );
  const running: Statement<[string], RunRow> = db.prepare("SELECT * FROM runs WHERE kind = ? AND status = 'running'");
  const lastSampleAt: Statement<[string], { t: number | null; n: number }> = db.prepare('SELECT max(t) AS t, count(*) AS n FROM run_samples WHERE run_id = ?');
  const getOne: Statement<[string, string], RunRow> = db.prepare('SELECT * FROM runs WHERE id = ? AND kind = ?');
  // A null filter value matches every run; the mode lives in the stored config.
  const listSome: Statement<[{ kind: string; profile: string | null; mode: string | null; status: string | null; limit: number }], RunRow> = db.prepare(`
    SELECT * FROM runs WHERE kind = @kind
      AND (@profile IS NULL OR name = @profile)
      AND (@mode IS NULL OR json_extract(config, '$.mode') = @mode)
      AND (@status IS NULL OR status = @status)
    ORDER BY created_at DESC LIMIT @limit`);
  const count: Statement<[string], { n: number }> = db.prepare('SELECT count(*) AS n FROM run_samples WHERE run_id = ?');
  const thinned: Statement<[string, number, number], { data: string }> = db.prepare(`
    SELECT data FROM (
      SELECT data, t, row_number() OVER (ORDER BY t) - 1 AS n, count(*) OVER () AS total
      FROM run_samples WHERE run_id = ?
    ) WHERE n % ? = 0 OR n = total - 1 ORDER BY t LIMIT ?`);
  const remove: Statement<[string, string]> = db.prepare("DELETE FROM runs WHERE id = ? AND kind = ? AND status <> 'running'");

  const toRecord = (row: RunRow): RunRecord => ({
    id: row.id,
    name: row.name,
    status: row.status as RunStatus,
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    config: JSON.parse(row.config) as RunConfig,
    summary: row.summary === null ? null : (JSON.parse(row.summary) as RunSummary),
    error: row.error,
  });

  return {
    create: (record) => void insert.run(record.id, KIND, record.name, 'running', record.createdAt, record.startedAt, JSON.stringify(record.config)),
    updateConfig: (runId, config) => void updateConfig.run(JSON.stringify(config), runId),
    appendSample: (runId, sample, latency) => void insertSample.run(runId, sample.t, JSON.stringify(sample), latency ? JSON.stringify(latency) : null),
    finish: (runId, outcome) =>
      void finish.run(outcome.status, Math.round(outcome.endedAt), outcome.summary === null ? null : JSON.stringify(outcome.summary), outcome.error, runId),
    markInterrupted: (now) => {
      const rows = running.all(KIND);
      return db.transaction(() =>
        rows.map((row) => {
          const last = lastSampleAt.get(row.id);
          const endedAt = Math.round(last?.t ?? row.started_at ?? now);
          const error = `Bulkhead stopped during this run (crash, kill or power loss); the ${last?.n ?? 0} per-second samples recorded until then are kept.`;
          finish.run('interrupted', endedAt, null, error, row.id);
          return toRecord({ ...row, status: 'interrupted', ended_at: endedAt, error });
        }),
      )();
    },
    get: (runId) => {
      const row = getOne.get(runId, KIND);
      return row ? toRecord(row) : null;
    },
    list: (limit, filter = {}) => listSome.all({ kind: KIND, profile: filter.profile ?? null, mode: filter.mode ?? null, status: filter.status ?? null, limit }).map(toRecord),
    sampleCount: (runId) => count.get(runId)?.n ?? 0,
    samples: (runId, max) => {
      const total = count.get(runId)?.n ?? 0;
      const step = Math.max(1, Math.ceil(total / Math.max(1, max - 1)));
      return thinned.all(runId, step, max + 1).map((row) => JSON.parse(row.data) as RunSample);
    },
    latencyBySecond: (runId) =>
      new Map(latencies.all(runId).map((row) => [(JSON.parse(row.data) as RunSample).second, JSON.parse(row.latency) as StoredLatencyHistogram])),
    delete: (runId) => remove.run(runId, KIND).changes > 0,
  };
}
