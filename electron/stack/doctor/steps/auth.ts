import pg from 'pg';
import { classifyPgError } from '../../db/pg-error';
import { fail, pass, skip, type DoctorStepDefinition } from '../doctor-step';
import { pgPassword, type DoctorContext } from '../doctor-context';
import { refusedRemedy } from '../remedies';

const DEADLINE_MS = 8000;

/** Opens a session for the later steps, with the doctor's own application_name. */
export function doctorClient(context: DoctorContext, database?: string, timeoutMs = DEADLINE_MS - 500): pg.Client {
  const settings = context.settings!;
  const client = new pg.Client({
    host: settings.host,
    port: settings.port,
    user: settings.user,
    password: pgPassword(context),
    database: database ?? settings.database,
    ssl: context.ssl ?? false,
    application_name: 'bulkhead-doctor',
    connectionTimeoutMillis: timeoutMs,
  });
  client.on('error', () => undefined);
  return client;
}

/** Step 7: the startup handshake — the server decides on TLS, pg_hba, password, and connection slots. */
export const authStep: DoctorStepDefinition = {
  id: 'auth',
  title: 'Authentication',
  deadlineMs: DEADLINE_MS,
  timeoutRemedy: () => 'The server accepted TCP but did not finish the login: it may be overloaded, starting up, or a proxy in front of it is stuck.',
  async run(context) {
    const settings = context.settings;
    if (!settings) return skip('no target');
    const client = doctorClient(context);
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      const info = classifyPgError(error);
      if (info.code === '3D000') {
        context.missingDatabase = info;
        return pass(`the server accepted ${settings.user}'s credentials (the database itself is missing: next step)`, [`server said: ${info.message}`]);
      }
      return explainAuthFailure(context, info);
    }
    context.session = client;
    context.cleanups.push(() => client.end());
    const row = (
      await client.query<{ user: string; ssl: boolean | null; version: string | null }>(
        `SELECT current_user AS user,
                (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS ssl,
                (SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS version`,
      )
    ).rows[0];
    const passwordSource = settings.password === undefined ? 'no password (the server trusts this connection)' : `password from ${settings.fieldSources.password}`;
    return pass(`logged in as ${row?.user ?? settings.user}`, [passwordSource, `session encrypted: ${row?.ssl ? `yes (${row.version})` : 'no'}`]);
  },
};

function explainAuthFailure(context: DoctorContext, info: ReturnType<typeof classifyPgError>): ReturnType<typeof fail> {
  const settings = context.settings!;
  const evidence = [`server said: ${info.message}`, ...info.details.filter((d) => !d.includes(info.message))];
  switch (info.code) {
    case '28P01': {
      const source = settings.password === undefined ? 'no password was given' : `the password comes from ${settings.fieldSources.password}`;
      return fail(
        `password authentication failed for user "${settings.user}" (28P01)`,
        `Fix the password (${source}). With the official Docker image, POSTGRES_PASSWORD only applies when the data volume is first created: if you changed it later, the old password is still in force — use it, or recreate the volume (\`docker compose down -v\`, which deletes the data).`,
        info.code,
        evidence,
      );
    }
    case '28000':
      if (/no encryption/i.test(info.message)) {
        return fail('the server accepts this user only over TLS (pg_hba.conf: hostssl)', `Add sslmode=verify-full to the URL (with sslrootcert=/path/ca.pem if the CA is private). Bulkhead went without TLS because ${context.tls?.reason ?? 'of the TLS policy'}.`, info.code, evidence);
      }
      return fail(
        `the server has no pg_hba.conf rule letting "${settings.user}" in from this address (28000)`,
        `Ask the server's administrator to add a line like \`host ${settings.database} ${settings.user} <your IP>/32 scram-sha-256\` to pg_hba.conf and reload; with Docker, the official image allows all hosts by default, so check you reach the container you think you do.`,
        info.code,
        evidence,
      );
    case '53300':
      return fail(
        'the server refused a new session: it is out of connection slots (53300)',
        `Every allowed connection is in use. Find who holds them (\`SELECT application_name, state, count(*) FROM pg_stat_activity GROUP BY 1, 2\`), fix leaks and "idle in transaction" sessions, lower pool sizes (BULKHEAD_POOL_MAX), put PgBouncer in front, or raise max_connections.`,
        info.code,
        evidence,
      );
    case '57P03':
      return fail('the server is starting up or shutting down (57P03)', 'Wait a few seconds and retry. In compose, start dependants after a `pg_isready` healthcheck (`depends_on: db: condition: service_healthy`).', info.code, evidence);
    case '42501':
      return fail(`"${settings.user}" may not connect to "${settings.database}" (42501)`, `GRANT CONNECT ON DATABASE ${settings.database} TO ${settings.user};`, info.code, evidence);
    case 'TLS_NOT_SUPPORTED':
      return fail('The server does not support SSL connections', 'Remove sslmode=require (or set sslmode=disable) for a local server without TLS.', info.code, evidence);
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'CONNECTION_CLOSED':
      return fail(`the connection was lost during login (${info.code})`, refusedRemedy(context), info.code, evidence);
    default:
      if (/client password must be a string|SASL/i.test(info.message)) {
        const where = context.input.urlOnly
          ? `Put the password in the URL (postgres://${settings.user}:PASSWORD@...): a URL typed here is checked with only what it carries, never with PGPASSWORD or ~/.pgpass.`
          : `Put the password in DATABASE_URL (postgres://${settings.user}:PASSWORD@...) or set PGPASSWORD.`;
        return fail(`the server asks for a password and none was given`, where, 'NO_PASSWORD', evidence);
      }
      return fail(`login failed (${info.code}): ${info.message}`, 'Read the server message above; the server log has more detail.', info.code, evidence);
  }
}
