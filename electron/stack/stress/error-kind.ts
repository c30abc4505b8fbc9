import { BulkheadError } from '../errors';
import { classifyPgError } from '../db/pg-error';
import { ProviderError } from '../providers/provider-error';

/**
 * What kind of failure ended a request, as a short stable key for the errors-by-kind table
 * (`http_429`, `too_many_clients`, `pool_timeout`, `shed_queue_full`, …), and whether it was shed on
 * purpose by a governed bound (a full queue or a wait that timed out: the request failed fast with a
 * clear reason instead of piling up).
 */
export interface FailureKind {
  readonly kind: string;
  readonly shed: boolean;
}

const PG_KINDS: Record<string, string> = {
  '53300': 'too_many_clients',
  '53400': 'too_many_clients',
  '57P01': 'db_terminated',
  '57P03': 'db_starting',
  '57014': 'db_statement_timeout',
  '28P01': 'db_auth',
  '3D000': 'db_missing',
  POOL_TIMEOUT: 'pool_timeout',
  CONNECT_TIMEOUT: 'db_connect_timeout',
  CONNECTION_CLOSED: 'db_connection_closed',
  ECONNREFUSED: 'db_refused',
  ECONNRESET: 'db_reset',
};

/** A failure a workload has already classified (e.g. an HTTP target's refused, reset, timeout, tls). */
export class WorkloadFailure extends Error {
  constructor(
    readonly kind: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WorkloadFailure';
  }
}

export function failureKindOf(error: unknown): FailureKind {
  if (error instanceof WorkloadFailure) return { kind: error.kind, shed: false };
  if (error instanceof ProviderError) {
    const byKind: Record<string, string> = {
      rate_limited: 'http_429',
      overloaded: 'http_529',
      server_error: 'provider_5xx',
      timeout: 'provider_timeout',
      connection: 'provider_connection',
      aborted: 'aborted',
    };
    return { kind: byKind[error.kind] ?? `provider_${error.kind}`, shed: false };
  }
  if (error instanceof BulkheadError) {
    switch (error.code) {
      case 'QUEUE_FULL':
        return { kind: 'shed_queue_full', shed: true };
      case 'TIMEOUT':
        return { kind: 'shed_wait_timeout', shed: true };
      case 'EXCEEDS_CAPACITY':
        return { kind: 'exceeds_capacity', shed: false };
      case 'ABORTED':
        return { kind: 'aborted', shed: false };
      case 'POOL_TIMEOUT':
      case 'POOL_EXHAUSTED':
        return { kind: 'pool_timeout', shed: false };
      default:
        break;
    }
    const pg = PG_KINDS[pgCodeOf(error) ?? ''];
    if (pg) return { kind: pg, shed: false };
    return { kind: error.code.toLowerCase().replace(/[^a-z0-9]+/g, '_'), shed: false };
  }
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return { kind: error.name === 'AbortError' ? 'aborted' : 'timeout', shed: false };
  }
  const info = classifyPgError(error);
  const pg = PG_KINDS[info.code];
  if (pg) return { kind: pg, shed: false };
  if (info.sqlstate) return { kind: `db_${info.code.toLowerCase()}`, shed: false };
  return { kind: 'internal', shed: false };
}

/** A BulkheadError wrapping a pg error keeps the SQLSTATE in its cause chain. */
function pgCodeOf(error: BulkheadError): string | undefined {
  const info = classifyPgError(error.cause ?? error);
  return PG_KINDS[info.code] ? info.code : undefined;
}
