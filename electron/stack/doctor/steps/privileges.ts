import { fail, pass, skip, type DoctorStepDefinition } from '../doctor-step';

const TABLES = ['rag_documents', 'rag_chunks', 'rag_schema_migrations'] as const;

/** Step 11: may this user read and write the RAG tables (or create them, if they do not exist yet)? */
export const privilegesStep: DoctorStepDefinition = {
  id: 'privileges',
  title: 'Privileges on the RAG tables',
  deadlineMs: 5000,
  async run(context) {
    const session = context.session;
    const settings = context.settings;
    if (!session || !settings) return skip('no session');
    const rows = (
      await session.query<{ table_name: string; exists: boolean; sel: boolean | null; ins: boolean | null; upd: boolean | null; del: boolean | null }>(
        `SELECT t AS table_name, to_regclass(t) IS NOT NULL AS exists,
                CASE WHEN to_regclass(t) IS NULL THEN NULL ELSE has_table_privilege(t, 'SELECT') END AS sel,
                CASE WHEN to_regclass(t) IS NULL THEN NULL ELSE has_table_privilege(t, 'INSERT') END AS ins,
                CASE WHEN to_regclass(t) IS NULL THEN NULL ELSE has_table_privilege(t, 'UPDATE') END AS upd,
                CASE WHEN to_regclass(t) IS NULL THEN NULL ELSE has_table_privilege(t, 'DELETE') END AS del
         FROM unnest($1::text[]) AS t`,
        [[...TABLES]],
      )
    ).rows;
    const schema = (await session.query<{ create: boolean; usage: boolean; schema: string }>(`SELECT current_schema() AS schema, has_schema_privilege(current_schema(), 'CREATE') AS create, has_schema_privilege(current_schema(), 'USAGE') AS usage`)).rows[0];
    const evidence = rows.map((r) => (r.exists ? `${r.table_name}: ${(['sel', 'ins', 'upd', 'del'] as const).map((k) => `${{ sel: 'SELECT', ins: 'INSERT', upd: 'UPDATE', del: 'DELETE' }[k]} ${r[k] ? 'yes' : 'NO'}`).join(', ')}` : `${r.table_name}: not created yet`));
    evidence.push(`schema ${schema?.schema ?? '(none)'}: CREATE ${schema?.create ? 'yes' : 'NO'}, USAGE ${schema?.usage ? 'yes' : 'NO'}`);
    const missing = rows.filter((r) => r.exists && !(r.sel && r.ins && r.upd && r.del));
    if (missing.length > 0) {
      return fail(
        `"${settings.user}" lacks privileges on ${missing.map((r) => r.table_name).join(', ')} (42501)`,
        `Run as the tables' owner: ${missing.map((r) => `GRANT SELECT, INSERT, UPDATE, DELETE ON ${r.table_name} TO ${settings.user};`).join(' ')} and GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${settings.user};`,
        '42501',
        evidence,
        false,
      );
    }
    const absent = rows.filter((r) => !r.exists);
    if (absent.length > 0 && !schema?.create) {
      return fail(
        `the RAG tables do not exist yet and "${settings.user}" may not create them in schema ${schema?.schema ?? 'public'} (42501)`,
        `PostgreSQL 15+ no longer lets every user create tables in public. Run \`GRANT CREATE ON SCHEMA ${schema?.schema ?? 'public'} TO ${settings.user};\` or \`ALTER DATABASE ${settings.database} OWNER TO ${settings.user};\`.`,
        '42501',
        evidence,
        false,
      );
    }
    return pass(absent.length > 0 ? `the RAG tables are not created yet; "${settings.user}" may create them (Bulkhead does so at start)` : `"${settings.user}" may read and write the RAG tables`, evidence);
  },
};
