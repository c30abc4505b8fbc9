import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { BulkheadError } from '../../errors';
import { readRegularFileSync } from '../../files/regular-file';
import type { ConnectionSettings } from '../config/database-config';
import { classifyHost, isLocalHostKind } from '../config/host-kind';

/**
 * How a connection uses TLS. `use`: never, when the server offers it, or always (failing if it does
 * not). `verify`: full = chain and hostname, ca = chain only, none = encrypted but unauthenticated.
 */
export interface TlsDecision {
  readonly use: 'never' | 'if-offered' | 'always';
  readonly verify: 'full' | 'ca' | 'none';
  /** The words shown to users: `disable`, `prefer`, `verify-full`, `no-verify`, ... */
  readonly mode: string;
  readonly explicit: boolean;
  readonly reason: string;
  /** Set when the choice weakens security; always shown, never silent. */
  readonly warning?: string;
}

const UNVERIFIED_WARNING =
  'The server certificate is not verified: the connection is encrypted, but anything on the network path could pretend to be the server. Give the CA with sslrootcert=/path/ca.pem and use sslmode=verify-full.';

/**
 * The TLS policy. An explicit sslmode wins, with node-postgres's meanings (require and verify-ca verify
 * like verify-full) unless `uselibpqcompat=true` asks for libpq's. Without one, loopback, socket and
 * container-local hosts go without TLS and every other host gets verified TLS. Certificate checks are
 * only ever turned off by the user's own setting, and then reported as a warning.
 */
export function decideTls(settings: Pick<ConnectionSettings, 'host' | 'sslmode' | 'libpqCompat'>): TlsDecision {
  const { sslmode, libpqCompat } = settings;
  const compat = libpqCompat ? ' (uselibpqcompat=true: libpq meanings)' : '';
  switch (sslmode) {
    case 'disable':
      return { use: 'never', verify: 'none', mode: 'disable', explicit: true, reason: 'sslmode=disable: no TLS' };
    case 'allow':
    case 'prefer':
      return libpqCompat
        ? { use: 'if-offered', verify: 'none', mode: sslmode, explicit: true, reason: `sslmode=${sslmode}${compat}: TLS if the server offers it, certificate not checked`, warning: UNVERIFIED_WARNING }
        : { use: 'if-offered', verify: 'full', mode: sslmode, explicit: true, reason: `sslmode=${sslmode}: TLS (certificate and hostname verified) if the server offers it, plain otherwise` };
    case 'require':
      return libpqCompat
        ? { use: 'always', verify: 'none', mode: 'require', explicit: true, reason: `sslmode=require${compat}: TLS required, certificate not checked`, warning: UNVERIFIED_WARNING }
        : { use: 'always', verify: 'full', mode: 'require', explicit: true, reason: 'sslmode=require: TLS required; node-postgres verifies certificate and hostname (like verify-full)' };
    case 'verify-ca':
      return libpqCompat
        ? { use: 'always', verify: 'ca', mode: 'verify-ca', explicit: true, reason: `sslmode=verify-ca${compat}: TLS required, certificate chain verified, hostname not`, warning: 'The hostname in the certificate is not checked (verify-ca). Use verify-full unless the certificate cannot name the host.' }
        : { use: 'always', verify: 'full', mode: 'verify-ca', explicit: true, reason: 'sslmode=verify-ca: TLS required; node-postgres verifies certificate and hostname (like verify-full)' };
    case 'verify-full':
      return { use: 'always', verify: 'full', mode: 'verify-full', explicit: true, reason: 'sslmode=verify-full: TLS required, certificate and hostname verified' };
    case 'no-verify':
      return { use: 'always', verify: 'none', mode: 'no-verify', explicit: true, reason: 'sslmode=no-verify: TLS required, certificate not checked', warning: UNVERIFIED_WARNING };
    case undefined:
      break;
  }
  const kind = classifyHost(settings.host);
  if (isLocalHostKind(kind)) {
    return { use: 'never', verify: 'none', mode: 'disable', explicit: false, reason: `${settings.host} is a ${kind === 'service-name' ? 'container-local service name' : kind} host: no TLS unless sslmode asks for it` };
  }
  return { use: 'always', verify: 'full', mode: 'verify-full', explicit: false, reason: `${settings.host} is a remote host: TLS with certificate and hostname verification (add sslmode=disable only on a trusted network)` };
}

/** node-postgres's `ssl` option for a decision; `serverOffersTls` settles `if-offered`. */
export function sslOptionsFor(
  decision: TlsDecision,
  settings: Pick<ConnectionSettings, 'host' | 'sslrootcert' | 'sslcert' | 'sslkey'>,
  serverOffersTls?: boolean,
): false | ConnectionOptions {
  if (decision.use === 'never') return false;
  if (decision.use === 'if-offered' && serverOffersTls !== true) return false;
  const options: ConnectionOptions = { rejectUnauthorized: decision.verify !== 'none' };
  if (!isIP(settings.host) && !settings.host.startsWith('/')) options.servername = settings.host;
  if (decision.verify === 'ca') options.checkServerIdentity = () => undefined;
  if (settings.sslrootcert && settings.sslrootcert !== 'system') options.ca = readPem('sslrootcert', settings.sslrootcert);
  if (settings.sslcert) options.cert = readPem('sslcert', settings.sslcert);
  if (settings.sslkey) options.key = readPem('sslkey', settings.sslkey);
  return options;
}

/** Certificates and keys are small; anything bigger is not one. */
export const PEM_MAX_BYTES = 1024 * 1024;

/** A PEM file named in a URL: a regular file only (a FIFO or device is refused, never waited on), capped. */
export function readPem(name: string, path: string): string {
  try {
    return readRegularFileSync(path, { maxBytes: PEM_MAX_BYTES, what: name });
  } catch (error) {
    throw new BulkheadError('TLS_FILE_UNREADABLE', `${name}=${path} cannot be read${error instanceof BulkheadError ? `: ${error.message}` : '.'}`, {
      remedy: `Point ${name} at a readable PEM file (an absolute path is safest).`,
      cause: error,
    });
  }
}
