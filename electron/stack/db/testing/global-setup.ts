/**
 * vitest globalSetup for the shared test database (see test-database.ts). Cheap on purpose: it only
 * makes a run folder; the embedded PostgreSQL starts when the first test file asks for a database, and
 * is stopped here when the run ends.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { isProcessAlive, readPostmasterPid } from '../embedded/postmaster-pid';
import { stopPostmaster } from '../embedded/process-control';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Folder of this run's shared embedded server (empty when TEST_DATABASE_URL is set). */
    bulkheadTestDbRunDir: string;
    /** TEST_DATABASE_URL as the run saw it ('' when unset). */
    bulkheadTestDbUrl: string;
  }
}

export default function setup(project: TestProject): () => Promise<void> {
  const url = process.env.TEST_DATABASE_URL ?? '';
  const runDir = url ? '' : mkdtempSync(join(tmpdir(), 'bulkhead-testdb-'));
  // The server runs as the `postgres` OS user when tests run as root: it must be able to enter the folder.
  if (runDir) chmodSync(runDir, 0o755);
  project.provide('bulkheadTestDbRunDir', runDir);
  project.provide('bulkheadTestDbUrl', url);
  return async () => {
    if (!runDir) return;
    const lock = readPostmasterPid(join(runDir, 'server', 'data'));
    if (lock && isProcessAlive(lock.pid)) await stopPostmaster(lock.pid);
    rmSync(runDir, { recursive: true, force: true });
  };
}
