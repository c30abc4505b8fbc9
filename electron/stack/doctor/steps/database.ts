import { classifyPgError } from '../../db/pg-error';
import { fail, pass, skip, type DoctorStepDefinition } from '../doctor-step';
import { doctorClient } from './auth';

/** Step 8: the database exists (if not: which ones do, and which one was probably meant). */
export const databaseStep: DoctorStepDefinition = {
  id: 'database',
  title: 'Database',
  deadlineMs: 6000,
  async run(context) {
    const settings = context.settings;
    if (!settings) return skip('no target');
    if (context.missingDatabase) {
      const existing = await listDatabases(context);
      const closest = existing ? closestName(settings.database, existing) : undefined;
      const evidence = existing ? [`databases on the server: ${existing.join(', ') || '(none you may connect to)'}`] : ['could not list the databases on the server'];
      return fail(
        `database "${settings.database}" does not exist (3D000)`,
        `${closest ? `Did you mean "${closest}"? Fix the name in the URL, or create` : 'Create'} it: \`CREATE DATABASE ${quoteIdent(settings.database)};\` (or \`createdb -h ${settings.host} -p ${settings.port} -U ${settings.user} ${settings.database}\`). With the official Docker image, POSTGRES_DB creates it only when the volume is first made.`,
        '3D000',
        evidence,
      );
    }
    const session = context.session;
    if (!session) return skip('no session');
    const row = (
      await session.query<{ db: string; owner: string; encoding: string; size: string; superuser: boolean; search_path: string }>(
        `SELECT current_database() AS db, pg_get_userbyid(d.datdba) AS owner, pg_encoding_to_char(d.encoding) AS encoding,
                pg_size_pretty(pg_database_size(d.oid)) AS size, r.rolsuper AS superuser, current_setting('search_path') AS search_path
         FROM pg_database d, pg_roles r WHERE d.datname = current_database() AND r.rolname = current_user`,
      )
    ).rows[0];
    if (!row) return pass(`connected to ${settings.database}`);
    const evidence = [`owner ${row.owner}, encoding ${row.encoding}, size ${row.size}`, `current user is ${row.superuser ? 'a superuser' : 'not a superuser'}; search_path ${row.search_path}`];
    if (row.encoding !== 'UTF8') {
      return { status: 'warn', detail: `connected to ${row.db}, but its encoding is ${row.encoding}`, remedy: 'Documents with non-ASCII text need UTF8: create the database with ENCODING \'UTF8\'.', code: 'ENCODING', evidence };
    }
    return pass(`connected to ${row.db}`, evidence);
  },
};

async function listDatabases(context: Parameters<typeof databaseStep.run>[0]): Promise<string[] | null> {
  for (const database of ['postgres', 'template1']) {
    const client = doctorClient(context, database, 3000);
    try {
      await client.connect();
      const rows = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname');
      return rows.rows.map((r) => r.datname);
    } catch (error) {
      if (classifyPgError(error).code !== '3D000') return null;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return null;
}

/** The existing name at the smallest edit distance, if it is close enough to be a typo. */
export function closestName(wanted: string, names: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(wanted.toLowerCase(), name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(wanted.length / 3)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
