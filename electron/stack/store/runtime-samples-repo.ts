import type { Database, Statement } from 'better-sqlite3';
import type { RuntimeSample } from '../../../shared/contract';

export interface RuntimeSamplesRepo {
  insert(sample: RuntimeSample): void;
  since(sinceMs: number, limit: number): RuntimeSample[];
  latest(limit: number): RuntimeSample[];
  /** Deletes samples older than `beforeMs`; returns how many went. */
  prune(beforeMs: number): number;
}

export function createRuntimeSamplesRepo(db: Database): RuntimeSamplesRepo {
  const insert: Statement<[number, string]> = db.prepare('INSERT INTO runtime_samples (t, data) VALUES (?, ?)');
  const since: Statement<[number, number], { data: string }> = db.prepare(
    'SELECT data FROM runtime_samples WHERE t > ? ORDER BY t ASC LIMIT ?',
  );
  const latest: Statement<[number], { data: string }> = db.prepare(
    'SELECT data FROM (SELECT t, data FROM runtime_samples ORDER BY t DESC LIMIT ?) ORDER BY t ASC',
  );
  const prune: Statement<[number]> = db.prepare('DELETE FROM runtime_samples WHERE t < ?');
  const parse = (rows: { data: string }[]): RuntimeSample[] => rows.map((row) => JSON.parse(row.data) as RuntimeSample);
  return {
    insert: (sample) => void insert.run(sample.t, JSON.stringify(sample)),
    since: (sinceMs, limit) => parse(since.all(sinceMs, limit)),
    latest: (limit) => parse(latest.all(limit)),
    prune: (beforeMs) => prune.run(beforeMs).changes,
  };
}
