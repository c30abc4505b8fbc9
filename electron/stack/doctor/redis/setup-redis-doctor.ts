import type { redisDoctorMethods } from '../../../../shared/contract/connectivity';
import { BulkheadError } from '../../errors';
import type { Feature, HandlersOf } from '../../service/feature';
import type { StackCore } from '../../stack-core';
import { runRedisDoctor } from './run-redis-doctor';

export const REDIS_URL_VARIABLE = 'BULKHEAD_REDIS_URL';

/**
 * doctor.redis: the Redis doctor for the Doctor page. A URL typed there carries its own credentials;
 * without one, the store URL of this stack's environment is checked. One run at a time.
 */
export function setupRedisDoctor(core: Pick<StackCore, 'env' | 'log'>): Feature<HandlersOf<typeof redisDoctorMethods>> {
  let running = false;
  return {
    handlers: {
      'doctor.redis': async ({ url }) => {
        const target = url ?? core.env[REDIS_URL_VARIABLE];
        if (target === undefined || target.trim() === '') {
          throw new BulkheadError('REDIS_URL_MISSING', `No Redis store is configured (${REDIS_URL_VARIABLE} is not set) and no URL was given.`, {
            remedy: `Type a redis:// URL to check, or set ${REDIS_URL_VARIABLE} before starting Bulkhead.`,
          });
        }
        if (running) throw new BulkheadError('DOCTOR_BUSY', 'A Redis diagnosis is already running.', { remedy: 'Wait for it to finish.' });
        running = true;
        try {
          const report = await runRedisDoctor({ url: target, urlLabel: url !== undefined ? 'the Doctor page' : REDIS_URL_VARIABLE });
          core.log.info(`redis doctor: ${report.ok ? 'ok' : 'failed'} for ${report.target}`);
          return report;
        } finally {
          running = false;
        }
      },
    },
  };
}
