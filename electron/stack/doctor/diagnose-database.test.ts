import { describe, expect, it } from 'vitest';
import { systemClock } from '../clock/clock';
import { useTestDatabase } from '../db/testing/test-database';
import { makeTempDir } from '../testing/temp-dir';
import { diagnoseDatabase } from './diagnose-database';

const db = useTestDatabase('diagnose');

describe('diagnoseDatabase: why a run cannot use the database, in the doctor\'s words', () => {
  it('names the failing step, its finding and code on one line, then its evidence, with the fix', async () => {
    const cwd = makeTempDir();
    try {
      const diagnosis = await diagnoseDatabase({ env: {}, cwd: cwd.path, url: 'postgres://app:pw@127.0.0.1:1/rag', clock: systemClock });
      expect(diagnosis?.step.id).toBe('tcp');
      expect(diagnosis?.message).toMatch(/^TCP connection: nothing accepts connections on 127\.0\.0\.1:1 \(ECONNREFUSED\) \[ECONNREFUSED\] — 127\.0\.0\.1:1 → ECONNREFUSED/);
      expect(diagnosis?.message).not.toContain('\n');
      expect(diagnosis?.remedy).toBeTruthy();
    } finally {
      cwd.remove();
    }
  });

  it('is null when the connection walk passes (a database that is only slow to start has nothing to diagnose)', async () => {
    const cwd = makeTempDir();
    try {
      expect(await diagnoseDatabase({ env: {}, cwd: cwd.path, url: db.url, clock: systemClock })).toBeNull();
    } finally {
      cwd.remove();
    }
  });
});
