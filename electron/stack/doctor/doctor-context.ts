import type { ConnectionOptions } from 'node:tls';
import type pg from 'pg';
import type { Clock } from '../clock/clock';
import type { ConnectionSettings, DatabaseConfig } from '../db/config/database-config';
import type { EnvLayer } from '../db/config/env-layers';
import type { ComposeHints } from '../db/docker/compose-hints';
import type { ContainerContext } from '../db/docker/container-context';
import type { PgErrorInfo } from '../db/pg-error';
import type { TlsDecision } from '../db/tls/tls-policy';

/** How the doctor reaches the embedded database when nothing else is configured. */
export interface EmbeddedAccess {
  readonly settings: ConnectionSettings;
  /** e.g. "the embedded PostgreSQL of the running Bulkhead (pid 123)". */
  readonly description: string;
  /** Stops a server started only for this check. */
  readonly release?: () => Promise<void>;
}

export interface DoctorInput {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly envFile?: string | undefined;
  /** `--url`, or the URL typed on the Doctor page. */
  readonly url?: string | undefined;
  /** Where `url` came from, as the env step names it (default `--url`). */
  readonly urlLabel?: string | undefined;
  /**
   * `url` came over the contract (the Doctor page, or anyone holding a session): it is diagnosed with
   * only what it carries. The environment, .env files and ~/.pgpass add nothing to it — PGPASSWORD or a
   * client certificate of the configured database never goes to a host someone typed.
   */
  readonly urlOnly?: boolean | undefined;
  /** Called when nothing is configured; null when no embedded database can be reached. */
  readonly embedded?: (() => Promise<EmbeddedAccess | null>) | undefined;
  /** The pool bound the app uses, compared with the server's free slots. */
  readonly poolMax?: number;
  /** Filesystem root for container detection (tests). */
  readonly fsRoot?: string;
  readonly clock: Clock;
}

/**
 * The `password` option for node-postgres: the one in the settings, or — for a URL that came over the
 * contract without one — an empty one. Left undefined, node-postgres would fall back to PGPASSWORD and
 * ~/.pgpass on its own and send them to whatever host the URL names.
 */
export function pgPassword(context: Pick<DoctorContext, 'input' | 'settings'>): string | (() => string) | undefined {
  const password = context.settings?.password;
  if (password !== undefined) return password;
  return context.input.urlOnly && context.input.url !== undefined ? () => '' : undefined;
}

/** What the steps learn, in order; a step reads what earlier steps established. */
export interface DoctorContext {
  readonly input: DoctorInput;
  layers?: EnvLayer[];
  config?: DatabaseConfig;
  embedded?: EmbeddedAccess | null;
  settings?: ConnectionSettings;
  /** Masked `postgres://user@host:port/db` (or the masked raw URL when it does not parse). */
  target?: string;
  tls?: TlsDecision;
  container?: ContainerContext;
  compose?: ComposeHints | null;
  addresses?: { address: string; family: number }[];
  reachable?: { address: string; family: number }[];
  serverOffersTls?: boolean;
  ssl?: false | ConnectionOptions;
  /** An authenticated session on the target database, opened by the auth step. */
  session?: pg.Client;
  /** The auth step connected, but the database does not exist (3D000). */
  missingDatabase?: PgErrorInfo;
  cleanups: (() => Promise<void>)[];
}
