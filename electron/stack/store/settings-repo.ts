import type { Database } from 'better-sqlite3';

/** Key/value settings stored as JSON; each feature validates its own values with its schema. */
export interface SettingsRepo {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  all(): Record<string, unknown>;
}

export function createSettingsRepo(db: Database): SettingsRepo {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const set = db.prepare<[string, string, number]>(
    'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  const all = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings ORDER BY key');
  return {
    get: (key) => {
      const row = get.get(key);
      return row ? (JSON.parse(row.value) as unknown) : undefined;
    },
    set: (key, value) => void set.run(key, JSON.stringify(value), Date.now()),
    all: () => Object.fromEntries(all.all().map((row) => [row.key, JSON.parse(row.value) as unknown])),
  };
}
