import type { pgbouncerMethods, PgbouncerView } from '../../../../shared/contract/connectivity';
import type { Feature, HandlersOf } from '../../service/feature';
import { maskUrl } from '../config/mask';
import { adminEndpointFromUrl, readPgbouncerConsole } from './pgbouncer-admin';

export const PGBOUNCER_ADMIN_URL_VARIABLE = 'BULKHEAD_PGBOUNCER_ADMIN_URL';

/**
 * pool.pgbouncer: SHOW POOLS and SHOW STATS for the Pool page, read from the admin console named by
 * BULKHEAD_PGBOUNCER_ADMIN_URL (a stats_users login is enough). Optional: without the variable the page
 * says how to turn it on. Each call opens and closes its own admin session.
 */
export function setupPgbouncerView(core: { readonly env: NodeJS.ProcessEnv }): Feature<HandlersOf<typeof pgbouncerMethods>> {
  return {
    handlers: {
      'pool.pgbouncer': async (): Promise<PgbouncerView> => {
        const raw = core.env[PGBOUNCER_ADMIN_URL_VARIABLE];
        if (raw === undefined || raw.trim() === '') return { state: 'not-configured', variable: PGBOUNCER_ADMIN_URL_VARIABLE };
        const adminUrl = maskUrl(raw);
        let endpoint;
        try {
          endpoint = adminEndpointFromUrl(raw);
        } catch (error) {
          return { state: 'unreachable', adminUrl, code: 'ADMIN_URL_INVALID', message: `${PGBOUNCER_ADMIN_URL_VARIABLE}: ${(error as Error).message}` };
        }
        const read = await readPgbouncerConsole(endpoint);
        if (!read.ok) return { state: 'unreachable', adminUrl, code: read.code, message: read.message };
        return { state: 'ok', adminUrl, version: read.console.version, pools: read.console.pools, stats: read.console.stats };
      },
    },
  };
}
