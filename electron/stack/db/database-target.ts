import type { ConnectionOptions } from 'node:tls';
import type { EmbeddedServerInfo } from '../../../shared/contract/pool';
import { describeTarget, type ConnectionSettings } from './config/database-config';
import { probeSslSupport } from './tls/ssl-request-probe';
import { decideTls, sslOptionsFor, type TlsDecision } from './tls/tls-policy';

/** A database to connect to, fully decided: settings, TLS policy and the resulting `ssl` option. */
export interface DatabaseTarget {
  readonly settings: ConnectionSettings;
  readonly tls: TlsDecision;
  readonly ssl: false | ConnectionOptions;
  /** `postgres://user@host:port/db` — never the password. */
  readonly description: string;
  readonly embedded: EmbeddedServerInfo | null;
}

/**
 * Decides TLS for a connection. `prefer`/`allow` ask the server first (one SSLRequest), because
 * node-postgres cannot fall back from TLS to plain the way libpq does.
 */
export async function resolveTarget(settings: ConnectionSettings, embedded: EmbeddedServerInfo | null = null, signal?: AbortSignal): Promise<DatabaseTarget> {
  const tls = decideTls(settings);
  let offers: boolean | undefined;
  if (tls.use === 'if-offered') {
    try {
      const probe = await probeSslSupport(settings.host, settings.port, { timeoutMs: 5000, ...(signal ? { signal } : {}) });
      probe.socket.destroy();
      offers = probe.answer === 'S';
    } catch {
      offers = false; // unreachable now: connect plain, and let the connection error say why
    }
  }
  return { settings, tls, ssl: sslOptionsFor(tls, settings, offers), description: describeTarget(settings), embedded };
}

/** Connection settings of the embedded server (loopback, no TLS). */
export function embeddedSettings(server: { port: number; user: string; password: string; database: string }): ConnectionSettings {
  return {
    host: '127.0.0.1',
    port: server.port,
    user: server.user,
    password: server.password,
    database: server.database,
    sslmode: 'disable',
    sslrootcert: undefined,
    sslcert: undefined,
    sslkey: undefined,
    libpqCompat: false,
    ignoredParams: [],
    fieldSources: { host: 'embedded', port: 'embedded', user: 'embedded', password: 'embedded', database: 'embedded', sslmode: 'embedded' },
  };
}
