import { WorkloadFailure } from '../stress/error-kind';

/**
 * What ended a request to an HTTP target, as the kind the run's error table counts: refused (nothing
 * listens), reset (the connection was cut), timeout, tls (handshake or certificate), dns, or connection
 * for other socket failures. The error's cause chain is walked because undici wraps socket errors.
 */
export type TargetErrorKind = 'refused' | 'reset' | 'timeout' | 'tls' | 'dns' | 'connection' | 'unexpected_status';

const BY_CODE: Record<string, TargetErrorKind> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EPROTO: 'tls',
  CERT_HAS_EXPIRED: 'tls',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls',
};

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function targetErrorKind(error: unknown): TargetErrorKind {
  let current: unknown = error;
  let fallback: TargetErrorKind = 'connection';
  for (let depth = 0; current && depth < 6; depth++) {
    const code = codeOf(current);
    if (code) {
      if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return 'tls';
      const kind = BY_CODE[code];
      // A socket error that says "other side closed" may carry a more precise cause (ECONNRESET, TLS).
      if (kind && kind !== 'reset') return kind;
      if (kind) fallback = kind;
    }
    if (current instanceof Error && (current.name === 'TimeoutError' || current.name === 'HeadersTimeoutError' || current.name === 'BodyTimeoutError')) return 'timeout';
    current = (current as { cause?: unknown }).cause;
  }
  return fallback;
}

/** A request failure as the run counts it; the message names the kind and the socket error's code, never the URL. */
export function targetFailure(error: unknown, timedOut: boolean, timeoutMs: number): WorkloadFailure {
  if (timedOut) return new WorkloadFailure('timeout', `no complete answer within ${timeoutMs / 1000} s`, { cause: error });
  const kind = targetErrorKind(error);
  const code = codeOf(error) ?? codeOf((error as { cause?: unknown } | null)?.cause);
  return new WorkloadFailure(kind, `${kind}${code ? ` (${code})` : ''}`, { cause: error });
}
