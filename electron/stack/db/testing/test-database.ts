/**
 * A real PostgreSQL for tests — the fixture every suite that needs a database uses (pool, RAG, doctor,
 * stress runner, chaos).
 *
 *   import { useTestDatabase } from '../db/testing/test-database';
 *   const db = useTestDatabase('my-feature');       // top level of the test file
 *   it('...', async () => { const client = new pg.Client(db.url); ... });
 *
 * - With TEST_DATABASE_URL set (CI sets postgres://postgres@127.0.0.1:5432/test), databases are made on
 *   that server. Without it, one embedded PostgreSQL is started for the whole `vitest run` — lazily, by
 *   the first file that asks — and stopped by the globalSetup (global-setup.ts) when the run ends.
 * - Each file gets its own fresh database (`bulkhead_t_<label>_<random>`), created in beforeAll and
 *   dropped in afterAll, so files never see each other's tables and can run in parallel.
 * - If the server refuses CREATE DATABASE, the TEST_DATABASE_URL database itself is used (shared).
 * - A test that needs a server with special settings (scram-only pg_hba, tiny max_connections, TLS, one
 *   it can stop) starts its own with startTestServer (test-server.ts) instead.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, closeSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { silentLogger } from '../../log/logger';
import { sleep, systemClock } from '../../clock/clock';
import { describeError } from '../../errors';
import { parseConnectionUrl } from '../config/connection-url';
import type { ConnectionSettings } from '../config/database-config';
import { startEmbeddedServer } from '../embedded/embedded-server';
import { classifyPgError } from '../pg-error';

export interface TestDatabase {
  /** postgres://... of the fresh database (contains a password for the embedded server). */
  readonly url: string;
  readonly name: string;
  /** The same, as Bulkhead's connection settings (for resolveTarget, the pool, the doctor). */
  settings(): ConnectionSettings;
  /** True when the database is shared (the server refused CREATE DATABASE). */
  readonly shared: boolean;
}

/** Registers beforeAll/afterAll for a fresh database; the returned handle is usable inside tests. */
export function useTestDatabase(label = 'test'): TestDatabase {
  let current: (TestDatabase & { drop(): Promise<void> }) | null = null;
  beforeAll(async () => {
    current = await createTestDatabase(label);
  }, 90_000);
  afterAll(async () => {
    await current?.drop();
  });
  const get = (): TestDatabase => {
    if (!current) throw new Error('useTestDatabase: the database is created in beforeAll; use it inside tests or hooks');
    return current;
  };
  return {
    get url() {
      return get().url;
    },
    get name() {
      return get().name;
    },
    get shared() {
      return get().shared;
    },
    settings: () => get().settings(),
  };
}

/** Creates a fresh database on the run's server; `drop()` removes it (connections and all). */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase & { drop(): Promise<void> }> {
  const adminUrl = await serverAdminUrl();
  const name = `bulkhead_t_${label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  admin.on('error', () => undefined);
  let shared = false;
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  } catch (error) {
    if (classifyPgError(error).code !== '42501') throw new Error(`test database: cannot create ${name} on ${redactUrl(adminUrl)}: ${describeError(error)}`, { cause: error });
    shared = true;
  } finally {
    await admin.end().catch(() => undefined);
  }
  const url = shared ? adminUrl : withDatabase(adminUrl, name);
  return {
    url,
    name: shared ? (parsed(adminUrl).database ?? 'postgres') : name,
    shared,
    settings: () => settingsFromUrl(url),
    drop: async () => {
      if (shared) return;
      const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await client.end().catch(() => undefined);
      }
    },
  };
}

/** The URL of the run's server, maintenance database: TEST_DATABASE_URL, or the shared embedded one. */
export async function serverAdminUrl(): Promise<string> {
  const configured = inject('bulkheadTestDbUrl');
  if (configured) return configured;
  const runDir = inject('bulkheadTestDbRunDir');
  if (!runDir) throw new Error('test database: the vitest globalSetup (electron/stack/db/testing/global-setup.ts) did not run');
  const infoFile = join(runDir, 'server.json');
  try {
    closeSync(openSync(join(runDir, 'starting.lock'), 'wx'));
  } catch {
    return waitForServerInfo(infoFile);
  }
  // This worker won the race: start the run's server and publish its URL for the others.
  let info: { url?: string; error?: string };
  try {
    const server = await startEmbeddedServer({ baseDir: join(runDir, 'server'), log: silentLogger, fastInit: true, adoptOrphan: false, stopOnProcessExit: false, database: 'postgres' });
    info = { url: server.url('postgres') };
  } catch (error) {
    info = { error: describeError(error) };
  }
  writeFileSync(`${infoFile}.tmp`, JSON.stringify(info));
  renameSync(`${infoFile}.tmp`, infoFile);
  if (!info.url) throw new Error(`test database: the embedded PostgreSQL did not start: ${info.error}`);
  return info.url;
}

async function waitForServerInfo(infoFile: string): Promise<string> {
  for (let waited = 0; waited < 90_000; waited += 50) {
    if (existsSync(infoFile)) {
      const info = JSON.parse(readFileSync(infoFile, 'utf8')) as { url?: string; error?: string };
      if (info.url) return info.url;
      throw new Error(`test database: the embedded PostgreSQL did not start: ${info.error}`);
    }
    await sleep(systemClock, 50);
  }
  throw new Error('test database: timed out waiting for the shared embedded PostgreSQL');
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

function parsed(url: string): { database?: string } {
  const result = parseConnectionUrl(url);
  return result.ok ? result.parts : {};
}

/** Connection settings for a plain test URL (no TLS: test servers are local). */
export function settingsFromUrl(url: string): ConnectionSettings {
  const result = parseConnectionUrl(url);
  if (!result.ok) throw new Error(result.problem.message);
  const p = result.parts;
  return {
    host: p.host ?? '127.0.0.1',
    port: p.port ?? 5432,
    user: p.user ?? 'postgres',
    password: p.password,
    database: p.database ?? 'postgres',
    sslmode: 'disable',
    sslrootcert: undefined,
    sslcert: undefined,
    sslkey: undefined,
    libpqCompat: false,
    ignoredParams: [],
    fieldSources: { host: 'test', port: 'test', user: 'test', password: 'test', database: 'test', sslmode: 'test' },
  };
}

function redactUrl(url: string): string {
  return url.replace(/:[^:@/]*@/, ':****@');
}
