/**
 * What a connection or query error really was. node-postgres surfaces three shapes: a server error
 * with a SQLSTATE `code` (28P01, 3D000, 53300...), a socket error with an errno `code` (ECONNREFUSED),
 * and — when `localhost` resolves to both ::1 and 127.0.0.1 — an AggregateError with an empty message
 * whose real errors are in `errors` (one per address tried). Timeouts come as plain messages.
 */
export interface PgErrorInfo {
  /** SQLSTATE, errno code, or one of ours (CONNECT_TIMEOUT, POOL_TIMEOUT, TLS_NOT_SUPPORTED, CONNECTION_CLOSED). */
  readonly code: string;
  readonly message: string;
  /** Every underlying error, for evidence (one per address for AggregateError). */
  readonly details: readonly string[];
  readonly sqlstate: boolean;
}

export function classifyPgError(error: unknown): PgErrorInfo {
  const leaves = collectLeaves(error);
  const primary = leaves.find((e) => typeof codeOf(e) === 'string') ?? leaves[0] ?? error;
  const message = messageOf(primary) || messageOf(error);
  const details = leaves.map((e) => [codeOf(e), messageOf(e)].filter(Boolean).join(' '));
  const code = codeOf(primary);
  if (code) return { code, message, details, sqlstate: /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('E') };
  return { code: codeFromMessage(message), message, details, sqlstate: false };
}

function codeFromMessage(message: string): string {
  if (/does not support SSL/i.test(message)) return 'TLS_NOT_SUPPORTED';
  if (/timeout exceeded when trying to connect/i.test(message)) return 'POOL_TIMEOUT';
  if (/connection timeout|timeout expired|timed out/i.test(message)) return 'CONNECT_TIMEOUT';
  if (/Connection terminated unexpectedly|Connection terminated/i.test(message)) return 'CONNECTION_CLOSED';
  if (/self[- ]signed certificate/i.test(message)) return 'SELF_SIGNED_CERT_IN_CHAIN';
  return 'UNKNOWN';
}

function collectLeaves(error: unknown, depth = 0): unknown[] {
  if (depth > 4) return [error];
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.flatMap((e: unknown) => collectLeaves(e, depth + 1));
  if (error instanceof Error && !codeOf(error) && error.cause !== undefined) {
    const below = collectLeaves(error.cause, depth + 1);
    return below.some((e) => codeOf(e)) ? [error, ...below] : [error];
  }
  return [error];
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return error === undefined ? '' : String(error);
}
