import { resolveVariables } from '../../db/config/env-layers';
import { fail, pass, skip, warn, type DoctorStepDefinition } from '../doctor-step';
import { pgvectorInstallRemedy } from '../remedies';

/** Step 10: pgvector (installed on the server? enabled in this database? may we enable it?) and pg_trgm. */
export const extensionsStep: DoctorStepDefinition = {
  id: 'extensions',
  title: 'Extensions (pgvector, pg_trgm)',
  deadlineMs: 5000,
  async run(context) {
    const session = context.session;
    if (!session) return skip('no session');
    const rows = (
      await session.query<{ name: string; default_version: string; installed_version: string | null }>(
        `SELECT a.name, a.default_version, e.extversion AS installed_version
         FROM pg_available_extensions a LEFT JOIN pg_extension e ON e.extname = a.name
         WHERE a.name IN ('vector', 'pg_trgm')`,
      )
    ).rows;
    const facts = (
      await session.query<{ ok: boolean; num: number }>(
        `SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) OR has_database_privilege(current_database(), 'CREATE') AS ok,
                current_setting('server_version_num')::int AS num`,
      )
    ).rows[0];
    const canCreate = facts?.ok;
    const vector = rows.find((r) => r.name === 'vector');
    const trgm = rows.find((r) => r.name === 'pg_trgm');
    const evidence = [
      `vector: ${vector ? (vector.installed_version ? `enabled (${vector.installed_version})` : `available (${vector.default_version}), not enabled in this database`) : 'not installed on this server (not in pg_available_extensions)'}`,
      `pg_trgm: ${trgm ? (trgm.installed_version ? `enabled (${trgm.installed_version})` : `available (${trgm.default_version})`) : 'not installed'}`,
    ];
    const required = context.layers ? resolveVariables(context.layers, ['BULKHEAD_RAG_VECTOR']).get('BULKHEAD_RAG_VECTOR')?.value === 'required' : false;
    if (!vector) {
      const detail = 'extension "vector" is not available on this server: retrieval uses full-text search';
      const remedy = pgvectorInstallRemedy(facts?.num);
      return required ? fail(detail, `${remedy} (BULKHEAD_RAG_VECTOR=required makes this a failure.)`, 'EXTENSION_NOT_AVAILABLE', evidence, false) : warn(detail, remedy, 'EXTENSION_NOT_AVAILABLE', evidence);
    }
    if (!vector.installed_version) {
      if (!canCreate) {
        const detail = 'pgvector is installed on the server but not enabled here, and this user may not enable it (42501)';
        const remedy = `Ask a superuser or the database owner to run \`CREATE EXTENSION vector;\` in ${context.settings?.database}. Until then retrieval uses full-text search.`;
        return required ? fail(detail, remedy, '42501', evidence, false) : warn(detail, remedy, '42501', evidence);
      }
      return pass('pgvector available: Bulkhead enables it at start (CREATE EXTENSION vector) and retrieves by vector distance', evidence);
    }
    return pass(`pgvector ${vector.installed_version} enabled: retrieval by vector distance`, evidence);
  },
};
