import { describe, expect, it } from 'vitest';
import { pgvectorInstallRemedy, serverMajor } from './remedies';

describe('pgvector remedy follows the server major version', () => {
  it.each([
    [130015, '13'],
    [150010, '15'],
    [160004, '16'],
    [170002, '17'],
    [180001, '18'],
  ])('server_version_num %i → image pg%s and postgresql-%s-pgvector', (num, major) => {
    const remedy = pgvectorInstallRemedy(num);
    expect(remedy).toContain(`pgvector/pgvector:pg${major} image`);
    expect(remedy).toContain(`postgresql-${major}-pgvector package`);
    expect(remedy).toContain(`pgvector_${major} (RHEL)`);
    // No other major anywhere in it.
    for (const other of ['13', '14', '15', '16', '17', '18'].filter((m) => m !== major)) expect(remedy).not.toMatch(new RegExp(`pg${other}\\b|postgresql-${other}-`));
  });

  it('says pgvector needs 13+ on older servers instead of naming a package that does not exist', () => {
    expect(serverMajor(90624)).toBe('9.6');
    expect(serverMajor(120019)).toBe('12');
    expect(pgvectorInstallRemedy(120019)).toMatch(/needs PostgreSQL 13 or newer and this server is 12/);
    expect(pgvectorInstallRemedy(120019)).not.toMatch(/postgresql-12-pgvector/);
  });

  it('without a version it names the pattern, not a guess', () => {
    expect(pgvectorInstallRemedy(undefined)).not.toMatch(/pg16|postgresql-16/);
    expect(pgvectorInstallRemedy(undefined)).toMatch(/postgresql-MAJOR-pgvector/);
  });
});
