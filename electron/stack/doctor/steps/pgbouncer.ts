import pg from 'pg';
import { resolveVariables } from '../../db/config/env-layers';
import { adminEndpointFromUrl, isUnsupportedStartupParameter, poolRowFor, readPgbouncerConsole, type PgbouncerConsoleRead } from '../../db/pgbouncer/pgbouncer-admin';
import { classifyPgError } from '../../db/pg-error';
import { pgPassword, type DoctorContext } from '../doctor-context';
import { fail, pass, skip, warn, type DoctorStepDefinition } from '../doctor-step';

const SCOPE_VARIABLE = 'BULKHEAD_STATEMENT_TIMEOUT_SCOPE';
const ADMIN_URL_VARIABLE = 'BULKHEAD_PGBOUNCER_ADMIN_URL';

/**
 * Is a PgBouncer in front, in which pool mode, and does Bulkhead's configuration survive it? Two probes:
 * a login carrying `statement_timeout` as a startup parameter (PostgreSQL takes any setting there;
 * PgBouncer refuses what it does not track — the same refusal the pool would meet), and the admin
 * console (`SHOW VERSION`, `SHOW POOLS`, `SHOW CONFIG`) for the version and pool mode.
 */
export const pgbouncerStep: DoctorStepDefinition = {
  id: 'pgbouncer',
  title: 'Connection pooler (PgBouncer)',
  deadlineMs: 8000,
  async run(context) {
    const settings = context.settings;
    if (!settings || !context.session) return skip('no session');
    // Failures here do not block: the later steps talk through the same bouncer and still tell the truth.
    if (context.embedded) return pass('the embedded PostgreSQL: no pooler in front');
    const scope = configuredScope(context);
    const startup = await probeStartupParameter(context);
    const admin = await readPgbouncerConsole(adminEndpoint(context));
    if (!startup.refused && !admin.ok) {
      return pass('no PgBouncer in front: the server takes session settings', [`the admin console (database "pgbouncer") is not there: ${admin.message}`]);
    }
    const evidence: string[] = [];
    let mode = 'unknown';
    if (admin.ok) {
      const row = poolRowFor(admin.console.pools, settings.database, settings.user);
      mode = String(row?.pool_mode ?? admin.console.config.get('pool_mode') ?? 'unknown');
      evidence.push(`${admin.console.version}; pool_mode ${mode} for ${settings.database}/${settings.user} (SHOW POOLS)`);
    } else {
      evidence.push(`PgBouncer (it refused a startup parameter); its admin console could not be read (${admin.code}: ${admin.message}) — set ${ADMIN_URL_VARIABLE} to a stats_users login to see the pool mode`);
    }
    evidence.push(...whatPoolingBreaks(admin, startup.refused, scope));
    const serverTimeout = (await context.session.query<{ statement_timeout: string }>('SHOW statement_timeout')).rows[0]?.statement_timeout ?? '0';
    evidence.push(`statement_timeout the server applies by default (role/database setting): ${serverTimeout}`);

    if (mode === 'statement') {
      return fail(
        'PgBouncer runs this database in statement pooling: multi-statement transactions are refused',
        'Bulkhead migrates and ingests in transactions: set pool_mode = transaction (or session) for this database in pgbouncer.ini, then RELOAD.',
        'PGBOUNCER_STATEMENT_MODE',
        evidence,
        false,
      );
    }
    if (startup.refused && scope !== 'transaction') {
      return fail(
        `PgBouncer refuses the statement_timeout startup parameter Bulkhead's pool sends ("${startup.message}")`,
        `Set ${SCOPE_VARIABLE}=transaction: Bulkhead then sets statement_timeout with SET LOCAL inside each of its transactions and sends no startup parameter. Or run this database with pool_mode = session, or add statement_timeout to ignore_startup_parameters in pgbouncer.ini and give the role its timeout (ALTER ROLE ${settings.user} SET statement_timeout = '30s').`,
        'PGBOUNCER_STARTUP_PARAMETER',
        evidence,
        false,
      );
    }
    const transactionPooling = mode === 'transaction' || (mode === 'unknown' && startup.refused);
    if (transactionPooling && scope !== 'transaction') {
      return warn(
        'PgBouncer in transaction pooling drops the statement_timeout Bulkhead sends at login (ignore_startup_parameters)',
        `Set ${SCOPE_VARIABLE}=transaction so each transaction gets SET LOCAL statement_timeout.`,
        'PGBOUNCER_TIMEOUT_IGNORED',
        evidence,
      );
    }
    if (transactionPooling && (serverTimeout === '0' || serverTimeout === '0ms')) {
      return warn(
        `PgBouncer in ${mode === 'unknown' ? 'an unknown' : mode} pooling: Bulkhead's transactions get their timeout, single statements run with none`,
        `Give the role a default so every statement is bounded: ALTER ROLE ${settings.user} SET statement_timeout = '30s' (PgBouncer's server connections log in as that role).`,
        'PGBOUNCER_NO_DEFAULT_TIMEOUT',
        evidence,
      );
    }
    return pass(`PgBouncer in ${mode} pooling; Bulkhead's settings work through it`, evidence);
  },
};

/** What transaction pooling breaks, each line saying whether Bulkhead is affected. */
function whatPoolingBreaks(admin: PgbouncerConsoleRead, startupRefused: boolean, scope: string): string[] {
  const maxPrepared = admin.ok ? admin.console.config.get('max_prepared_statements') : undefined;
  const prepared =
    maxPrepared === undefined
      ? 'named prepared statements: not tracked by this PgBouncer (before 1.21, or config unreadable) — Bulkhead sends unnamed statements only; code using { name } queries needs max_prepared_statements ≥ 1 (PgBouncer 1.21+) or session pooling'
      : `named prepared statements: max_prepared_statements ${maxPrepared}${maxPrepared === '0' ? ' (off) — Bulkhead sends unnamed statements only' : ''}`;
  return [
    `startup parameter statement_timeout: ${startupRefused ? 'refused' : 'accepted'}; Bulkhead's scope is ${scope} (${SCOPE_VARIABLE})`,
    prepared,
    'session SET: lost between transactions — Bulkhead uses SET LOCAL with the transaction scope',
    'advisory locks: session locks (pg_advisory_lock) stay on a server connection others reuse — Bulkhead takes transaction locks only (pg_advisory_xact_lock)',
    'LISTEN/NOTIFY: LISTEN needs a session of its own — Bulkhead does not listen',
  ];
}

function configuredScope(context: DoctorContext): string {
  if (context.input.urlOnly) return 'session';
  return resolveVariables(context.layers ?? [], [SCOPE_VARIABLE]).get(SCOPE_VARIABLE)?.value ?? 'session';
}

function adminEndpoint(context: DoctorContext): Parameters<typeof readPgbouncerConsole>[0] {
  const settings = context.settings!;
  const configured = context.input.urlOnly ? undefined : resolveVariables(context.layers ?? [], [ADMIN_URL_VARIABLE]).get(ADMIN_URL_VARIABLE)?.value;
  if (configured) return adminEndpointFromUrl(configured);
  return { host: settings.host, port: settings.port, user: settings.user, password: pgPassword(context), ssl: context.ssl ?? false };
}

async function probeStartupParameter(context: DoctorContext): Promise<{ refused: boolean; message: string }> {
  const settings = context.settings!;
  const client = new pg.Client({
    host: settings.host,
    port: settings.port,
    user: settings.user,
    password: pgPassword(context),
    database: settings.database,
    ssl: context.ssl ?? false,
    application_name: 'bulkhead-doctor',
    connectionTimeoutMillis: 3000,
    statement_timeout: 30_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return { refused: false, message: '' };
  } catch (error) {
    const message = classifyPgError(error).message;
    return { refused: isUnsupportedStartupParameter(message), message };
  } finally {
    await client.end().catch(() => undefined);
  }
}
