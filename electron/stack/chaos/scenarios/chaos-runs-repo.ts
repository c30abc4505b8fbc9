import type { Database, Statement } from 'better-sqlite3';
import { ChaosRunSchema, type ChaosRun } from '../../../../shared/contract/chaos';

interface Row {
  id: string;
  summary: string | null;
}

const KIND = 'chaos';

/**
 * Scenario runs in the app store's `runs` table, kind 'chaos' (stress runs are kind 'stress'): the
 * scenario's name, its parameters, and the whole ChaosRun (timeline, checks) as the summary. Saved on
 * every change, so a crash mid-scenario leaves its timeline up to that point.
 */
export interface ChaosRunsRepo {
  save(run: ChaosRun): void;
  list(limit: number): ChaosRun[];
  /** Scenario runs a crashed process left 'running': marked error, their timelines kept. */
  markInterrupted(now: number): number;
}

export function createChaosRunsRepo(db: Database): ChaosRunsRepo {
  const upsert: Statement<[string, string, string, string, number, number, number | null, string, string]> = db.prepare(`
    INSERT INTO runs (id, kind, name, status, created_at, started_at, ended_at, config, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET status = excluded.status, ended_at = excluded.ended_at, summary = excluded.summary`);
  const list: Statement<[string, number], Row> = db.prepare('SELECT id, summary FROM runs WHERE kind = ? ORDER BY created_at DESC LIMIT ?');
  const running: Statement<[string], Row> = db.prepare("SELECT id, summary FROM runs WHERE kind = ? AND status = 'running'");

  const parse = (row: Row): ChaosRun | null => {
    const parsed = ChaosRunSchema.safeParse(JSON.parse(row.summary ?? 'null'));
    return parsed.success ? parsed.data : null;
  };
  const save = (run: ChaosRun): void =>
    void upsert.run(run.id, KIND, run.scenario, run.status, Math.round(run.startedAt), Math.round(run.startedAt), run.endedAt === null ? null : Math.round(run.endedAt), JSON.stringify({ scenario: run.scenario, stressRunId: run.stressRunId, params: run.params }), JSON.stringify(run));

  return {
    save,
    list: (limit) => list.all(KIND, limit).flatMap((row) => parse(row) ?? []),
    markInterrupted(now) {
      const rows = running.all(KIND);
      for (const row of rows) {
        const run = parse(row);
        if (!run) continue;
        save({ ...run, status: 'error', endedAt: now, summary: `${run.summary} — interrupted: Bulkhead stopped during the scenario; the timeline up to then is kept.` });
      }
      return rows.length;
    },
  };
}
