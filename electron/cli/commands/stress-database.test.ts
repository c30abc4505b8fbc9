import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAppStore } from '../../stack/store/app-store';
import { createRunsRepo } from '../../stack/stress/runs-repo';
import { makeTempDir } from '../../stack/testing/temp-dir';
import { runBulkhead } from '../testing/run-bulkhead';

const dirs: Array<{ remove: () => void }> = [];
afterEach(() => dirs.splice(0).forEach((dir) => dir.remove()));

function tempDir(): string {
  const dir = makeTempDir();
  dirs.push(dir);
  return dir.path;
}

/** A password with "#" and "/" not percent-encoded: the URL parser ends the user part early. */
const UNUSABLE_URL = 'postgres://u:p@ss:w/rd#1@127.0.0.1:5432/db';

describe('bulkhead stress with an unusable DATABASE_URL (real CLI process)', () => {
  it("exits 1 with the doctor's diagnosis, records the run as failed with it, and releases the lock", async () => {
    const dataDir = tempDir();
    const doctor = await runBulkhead(['doctor', '--data-dir', dataDir], { DATABASE_URL: UNUSABLE_URL });
    expect(doctor.code).toBe(1);
    const diagnosis = /✗ Connection URL\s+(.+?)\s+\[(URL_[A-Z_]+)\]/.exec(doctor.stdout);
    expect(diagnosis).not.toBeNull();
    const [, detail = '', code = ''] = diagnosis!;
    const fix = /fix: (.+)/.exec(doctor.stdout)?.[1] ?? '';

    const stress = await runBulkhead(['stress', '--profile', 'light', '--duration', '1', '--data-dir', dataDir], { DATABASE_URL: UNUSABLE_URL });
    expect(stress.code).toBe(1);
    expect(stress.stdout).toContain(`Connection URL: ${detail} [${code}]`);
    expect(stress.stdout).toContain(`fix: ${fix}`);
    expect(stress.stderr).not.toContain('internal error');
    expect(existsSync(join(dataDir, 'bulkhead.lock'))).toBe(false);

    const store = openAppStore({ dataDir });
    try {
      const [run] = createRunsRepo(store.db).list(10);
      expect(run).toMatchObject({ status: 'failed' });
      expect(run!.error).toContain(detail);
      expect(run!.error).toContain(fix);
    } finally {
      store.close();
    }
  }, 60_000);

  it('--json carries the same reason, with status "failed"', async () => {
    const dataDir = tempDir();
    const stress = await runBulkhead(['stress', '--profile', 'light', '--duration', '1', '--json', '--data-dir', dataDir], { DATABASE_URL: UNUSABLE_URL });
    expect(stress.code).toBe(1);
    const result = JSON.parse(stress.stdout) as { ok: boolean; status: string; error: string };
    expect(result).toMatchObject({ ok: false, status: 'failed' });
    expect(result.error).toContain('URL_PASSWORD_NEEDS_ENCODING');
    expect(existsSync(join(dataDir, 'bulkhead.lock'))).toBe(false);
  }, 60_000);
});
