import type { Database, Statement } from 'better-sqlite3';
import { RunWindowsSchema, type BaselineInfo, type RunWindows } from '../../../shared/contract/regression';
import type { RunSummary } from '../../../shared/contract/stress';
import { median } from './sample-stats';

/** What is kept for a baseline: enough to compare with, even after its run was deleted. */
export interface StoredBaseline {
  readonly name: string;
  readonly runId: string;
  readonly createdAt: number;
  /** Profile, mode, rate and length of the run, for people and for the "compared like with like" check. */
  readonly label: string;
  readonly profile: string;
  readonly mode: string;
  readonly windows: RunWindows;
}

interface Row {
  name: string;
  run_id: string;
  created_at: number;
  data: string;
}

/** The `baselines` table: one row per name, replaced on save. */
export interface BaselinesRepo {
  save(baseline: StoredBaseline): void;
  get(name: string): StoredBaseline | null;
  list(): StoredBaseline[];
  delete(name: string): boolean;
}

export function createBaselinesRepo(db: Database): BaselinesRepo {
  const upsert: Statement<[string, string, number, string]> = db.prepare(
    'INSERT INTO baselines (name, run_id, created_at, data) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET run_id = excluded.run_id, created_at = excluded.created_at, data = excluded.data',
  );
  const one: Statement<[string], Row> = db.prepare('SELECT * FROM baselines WHERE name = ?');
  const all: Statement<[], Row> = db.prepare('SELECT * FROM baselines ORDER BY created_at DESC');
  const remove: Statement<[string]> = db.prepare('DELETE FROM baselines WHERE name = ?');

  const parse = (row: Row): StoredBaseline | null => {
    try {
      const data = JSON.parse(row.data) as { label?: string; profile?: string; mode?: string; windows?: unknown };
      const windows = RunWindowsSchema.parse(data.windows);
      return { name: row.name, runId: row.run_id, createdAt: row.created_at, label: data.label ?? '', profile: data.profile ?? '', mode: data.mode ?? '', windows };
    } catch {
      return null; // written by an incompatible version: treated as absent
    }
  };

  return {
    save: (b) => void upsert.run(b.name, b.runId, Math.round(b.createdAt), JSON.stringify({ label: b.label, profile: b.profile, mode: b.mode, windows: b.windows })),
    get: (name) => {
      const row = one.get(name);
      return row ? parse(row) : null;
    },
    list: () => all.all().flatMap((row) => parse(row) ?? []),
    delete: (name) => remove.run(name).changes > 0,
  };
}

/** A baseline as the panel lists it; `runSummary` (of its run, if still stored) gives the run's own figures. */
export function baselineInfo(b: StoredBaseline, runSummary: RunSummary | null): BaselineInfo {
  const medianOf = (read: (w: RunWindows['windows'][number]) => number | null): number | null => {
    const finite = b.windows.windows.map(read).filter((v): v is number => v !== null && Number.isFinite(v));
    return finite.length === 0 ? null : Math.round(median(finite) * 100) / 100;
  };
  const values = (read: (w: RunWindows['windows'][number]) => number): number => medianOf(read) ?? 0;
  return {
    name: b.name,
    runId: b.runId,
    createdAt: b.createdAt,
    windowMs: b.windows.windowMs,
    windows: b.windows.windows.length,
    label: b.label,
    medians: {
      throughput: values((w) => w.throughput),
      p50: medianOf((w) => w.p50),
      p95: medianOf((w) => w.p95),
      p99: medianOf((w) => w.p99),
      errorRate: values((w) => w.errorRate * 100),
    },
    run: runSummary ? { p50: runSummary.latency_ms.p50, p95: runSummary.latency_ms.p95, p99: runSummary.latency_ms.p99 } : null,
  };
}
