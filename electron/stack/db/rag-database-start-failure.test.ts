import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../clock/clock';
import { silentLogger } from '../log/logger';
import { makeTempDir } from '../testing/temp-dir';
import { startRagDatabase } from './rag-database';

const dirs: Array<{ remove: () => void }> = [];
afterEach(() => dirs.splice(0).forEach((dir) => dir.remove()));

function tempDir(): string {
  const dir = makeTempDir();
  dirs.push(dir);
  return dir.path;
}

describe('RAG database that cannot start', () => {
  it('rejects waiters at once with the reason when bring-up fails for good (no retry can fix a bad URL)', async () => {
    const database = startRagDatabase({
      dataDir: tempDir(),
      mode: 'auto',
      clock: systemClock,
      log: silentLogger,
      env: { DATABASE_URL: 'postgres://u:p@ss:w/rd#1@127.0.0.1:5432/db' },
      cwd: tempDir(),
    });
    try {
      // Registered while still starting: settled by the failure, not left for a caller's timeout.
      const early = database.whenReady();
      await expect(early).rejects.toMatchObject({ code: 'URL_PASSWORD_NEEDS_ENCODING' });
      expect(database.state).toBe('failed');
      await expect(database.whenReady()).rejects.toMatchObject({ code: 'URL_PASSWORD_NEEDS_ENCODING', remedy: expect.stringContaining('Percent-encode') });
    } finally {
      await database.stop();
    }
  });
});
