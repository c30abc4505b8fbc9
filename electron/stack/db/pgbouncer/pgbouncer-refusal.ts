import { BulkheadError } from '../../errors';
import { classifyPgError } from '../pg-error';
import { isUnsupportedStartupParameter } from './pgbouncer-admin';

/**
 * A PgBouncer that refuses a startup parameter of the pool (statement_timeout unless the transaction
 * scope is set) refuses it on every attempt: waiting cannot help, so bring-up fails at once with the fix
 * instead of retrying. Null for any other error.
 */
export function pgbouncerRefusal(error: unknown): BulkheadError | null {
  const inner = error instanceof BulkheadError && error.cause !== undefined ? error.cause : error;
  const info = classifyPgError(inner);
  if (!isUnsupportedStartupParameter(info.message)) return null;
  return new BulkheadError('PGBOUNCER_STARTUP_PARAMETER', `A PgBouncer in front of the database refuses a setting Bulkhead sends at login (${info.message}).`, {
    remedy:
      'Set BULKHEAD_STATEMENT_TIMEOUT_SCOPE=transaction (statement_timeout then goes in SET LOCAL inside each transaction), or run the database with pool_mode = session, or add the parameter to ignore_startup_parameters in pgbouncer.ini. `bulkhead doctor` shows the pool mode and what else transaction pooling changes.',
    cause: inner,
  });
}
