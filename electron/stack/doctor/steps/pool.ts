import pg from 'pg';
import { classifyPgError } from '../../db/pg-error';
import { pgPassword } from '../doctor-context';
import { fail, pass, skip, type DoctorStepDefinition } from '../doctor-step';

const CLIENTS = 5;

/** Step 12: several sessions at once, as a pool opens them — catches slot limits a single login does not. */
export const poolStep: DoctorStepDefinition = {
  id: 'pool',
  title: `Pool check (${CLIENTS} clients at once)`,
  deadlineMs: 10_000,
  async run(context) {
    const settings = context.settings;
    if (!settings || !context.session) return skip('no session');
    const pool = new pg.Pool({
      host: settings.host,
      port: settings.port,
      user: settings.user,
      password: pgPassword(context),
      database: settings.database,
      ssl: context.ssl ?? false,
      application_name: 'bulkhead-doctor',
      max: CLIENTS,
      connectionTimeoutMillis: 8000,
    });
    pool.on('error', () => undefined);
    const started = performance.now();
    const results = await Promise.allSettled(Array.from({ length: CLIENTS }, () => pool.connect()));
    const ms = performance.now() - started;
    for (const r of results) if (r.status === 'fulfilled') r.value.release();
    await pool.end().catch(() => undefined);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length === 0) return pass(`${CLIENTS} clients connected at once in ${ms.toFixed(0)} ms`, [`${(ms / CLIENTS).toFixed(1)} ms per connection on average (a pool pays this once per client, unbounded mode per query)`]);
    const info = classifyPgError(failed[0]?.reason);
    const got = CLIENTS - failed.length;
    if (info.code === '53300') {
      return fail(
        `only ${got} of ${CLIENTS} clients could connect: the server ran out of connection slots (53300)`,
        'The server is nearly full. Lower BULKHEAD_POOL_MAX, fix leaked or idle-in-transaction sessions of other apps, use PgBouncer, or raise max_connections.',
        info.code,
        [`server said: ${info.message}`],
        false,
      );
    }
    return fail(`only ${got} of ${CLIENTS} clients could connect (${info.code})`, `A single login works but several at once do not: a connection limit on the user or database, or a proxy limit. Server said: ${info.message}`, info.code, [], false);
  },
};
