import { fail, pass, skip, warn, type DoctorStepDefinition } from '../doctor-step';

/** Step 9: version, max_connections and how many are in use; is there room for Bulkhead's pool? */
export const serverStep: DoctorStepDefinition = {
  id: 'server',
  title: 'Server version and connection slots',
  deadlineMs: 5000,
  async run(context) {
    const session = context.session;
    if (!session) return skip('no session');
    const row = (
      await session.query<{ version: string; num: number; max: number; reserved: number; used: number; ours: number; rolconnlimit: number; datconnlimit: number; replica: boolean; idle_tx: number }>(
        `SELECT current_setting('server_version') AS version, current_setting('server_version_num')::int AS num,
                current_setting('max_connections')::int AS max,
                current_setting('superuser_reserved_connections')::int AS reserved,
                (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::int AS used,
                (SELECT count(*) FROM pg_stat_activity WHERE usename = current_user AND backend_type = 'client backend')::int AS ours,
                (SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%')::int AS idle_tx,
                (SELECT rolconnlimit FROM pg_roles WHERE rolname = current_user) AS rolconnlimit,
                (SELECT datconnlimit FROM pg_database WHERE datname = current_database()) AS datconnlimit,
                pg_is_in_recovery() AS replica`,
      )
    ).rows[0];
    if (!row) return fail('the server did not describe itself', 'Check the server log.', 'NO_ROWS');
    const free = row.max - row.reserved - row.used;
    const poolMax = context.input.poolMax ?? 20;
    const evidence = [
      `PostgreSQL ${row.version}`,
      `connections: ${row.used} in use of max_connections ${row.max} (${row.reserved} reserved for superusers) → ${free} free`,
      `this user has ${row.ours} open; per-user limit ${row.rolconnlimit < 0 ? 'none' : row.rolconnlimit}, per-database limit ${row.datconnlimit < 0 ? 'none' : row.datconnlimit}`,
      `sessions idle in transaction: ${row.idle_tx}`,
    ];
    if (row.num < 120000) return fail(`PostgreSQL ${row.version} is too old for the RAG schema (generated columns need 12+)`, 'Use PostgreSQL 12 or newer (the pgvector/pgvector:pg16 image in resources/docker/compose.yml works).', 'SERVER_TOO_OLD', evidence, false);
    if (row.replica) return warn(`PostgreSQL ${row.version}, but this is a read-only replica`, 'Bulkhead creates and loads the RAG tables at start: point it at the primary.', 'READ_ONLY_REPLICA', evidence);
    const limit = Math.min(free, row.rolconnlimit >= 0 ? row.rolconnlimit - row.ours : Infinity, row.datconnlimit >= 0 ? row.datconnlimit : Infinity);
    if (limit < poolMax) {
      return warn(
        `PostgreSQL ${row.version}; only ${Math.max(0, limit)} connection slots are free for Bulkhead's pool of up to ${poolMax}`,
        `Lower BULKHEAD_POOL_MAX to ${Math.max(1, limit - 2)} or less, close idle sessions of other apps, put PgBouncer in front, or raise max_connections (needs a restart).`,
        'FEW_SLOTS',
        evidence,
      );
    }
    return pass(`PostgreSQL ${row.version}, ${free} of ${row.max} connection slots free`, evidence);
  },
};
