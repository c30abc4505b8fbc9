import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/temp-dir';
import { openAppStore } from './app-store';
import { migrate, migrations } from './migrations';

const dirs: Array<{ remove: () => void }> = [];
afterEach(() => dirs.splice(0).forEach((dir) => dir.remove()));

describe('app store', () => {
  it('creates the schema in WAL mode and records the version', () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const store = openAppStore({ dataDir: dir.path });
    try {
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.pragma('user_version', { simple: true })).toBe(Math.max(...migrations.map((m) => m.version)));
      const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['settings', 'runs', 'run_samples', 'runtime_samples', 'alerts', 'baselines', 'doctor_reports']));
    } finally {
      store.close();
    }
  });

  it('keeps data across reopen and applies nothing twice', () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const first = openAppStore({ dataDir: dir.path });
    first.db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('k', '"v"', 1);
    first.close();
    const second = openAppStore({ dataDir: dir.path });
    try {
      expect(second.db.prepare('SELECT value FROM settings WHERE key = ?').get('k')).toEqual({ value: '"v"' });
    } finally {
      second.close();
    }
  });

  it('rolls a failing migration back completely', () => {
    const db = new BetterSqlite3(':memory:');
    const broken = [
      { version: 1, name: 'ok', up: (d: typeof db) => d.exec('CREATE TABLE a (x)') },
      { version: 2, name: 'fails halfway', up: (d: typeof db) => d.exec('CREATE TABLE b (x); SELECT * FROM missing_table;') },
    ];
    expect(() => migrate(db, broken)).toThrow(/missing_table/);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'b'").get()).toEqual({ n: 0 });
  });

  it('refuses a data dir written by a newer Bulkhead', () => {
    const db = new BetterSqlite3(':memory:');
    db.pragma('user_version = 99');
    expect(() => migrate(db)).toThrow(/newer than this Bulkhead/);
  });
});
