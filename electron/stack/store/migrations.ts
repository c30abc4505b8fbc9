import type { Database } from 'better-sqlite3';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly up: (db: Database) => void;
}

/**
 * Versioned schema of the app store, applied in order inside one transaction each; `PRAGMA user_version`
 * records how far a data dir has come. Never edit a released migration: add the next one.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'app state: settings, runtime samples, runs, alerts, baselines, doctor reports',
    up: (db) => {
      db.exec(`
        CREATE TABLE settings (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE TABLE runtime_samples (
          t REAL NOT NULL,
          data TEXT NOT NULL
        );
        CREATE INDEX runtime_samples_t ON runtime_samples (t);
        CREATE TABLE runs (
          id TEXT PRIMARY KEY,
          kind TEXT NOT NULL,
          name TEXT NOT NULL,
          status TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          started_at INTEGER,
          ended_at INTEGER,
          config TEXT NOT NULL,
          summary TEXT,
          error TEXT
        );
        CREATE INDEX runs_created_at ON runs (created_at);
        CREATE TABLE run_samples (
          run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          t REAL NOT NULL,
          data TEXT NOT NULL
        );
        CREATE INDEX run_samples_run_t ON run_samples (run_id, t);
        CREATE TABLE alerts (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          rule_id TEXT NOT NULL,
          severity TEXT NOT NULL,
          status TEXT NOT NULL,
          fired_at INTEGER NOT NULL,
          cleared_at INTEGER,
          message TEXT NOT NULL,
          detail TEXT
        );
        CREATE INDEX alerts_fired_at ON alerts (fired_at);
        CREATE TABLE baselines (
          name TEXT PRIMARY KEY,
          run_id TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          data TEXT NOT NULL
        );
        CREATE TABLE doctor_reports (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          at INTEGER NOT NULL,
          target TEXT NOT NULL,
          ok INTEGER NOT NULL,
          report TEXT NOT NULL
        );
        CREATE INDEX doctor_reports_at ON doctor_reports (at);
      `);
    },
  },
  {
    version: 2,
    name: "each second of a stress run keeps its latency histogram, so any range's percentiles are exact",
    up: (db) => {
      db.exec('ALTER TABLE run_samples ADD COLUMN latency TEXT');
    },
  },
];

export function migrate(db: Database, list: readonly Migration[] = migrations): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  const latest = list.reduce((max, m) => Math.max(max, m.version), 0);
  if (from > latest) {
    throw new Error(`data dir schema version ${from} is newer than this Bulkhead understands (${latest}); upgrade Bulkhead`);
  }
  for (const migration of [...list].sort((a, b) => a.version - b.version)) {
    if (migration.version <= from) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return { from, to: Math.max(from, latest) };
}
