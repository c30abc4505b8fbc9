import { userInfo } from 'node:os';
import type { ConfigSource } from '../../../../shared/contract/pool';
import { parseConnectionUrl, KNOWN_URL_PARAMS, type UrlProblem } from './connection-url';
import { resolveVariables, type EnvLayer, type ResolvedVariable } from './env-layers';
import { maskUrl, maskVariable } from './mask';

/** Variables Bulkhead reads for the RAG database (libpq's names, so existing shells and .env files work). */
export const DATABASE_VARIABLES = [
  'DATABASE_URL',
  'PGHOST',
  'PGHOSTADDR',
  'PGPORT',
  'PGUSER',
  'PGPASSWORD',
  'PGDATABASE',
  'PGSSLMODE',
  'PGSSLROOTCERT',
  'PGSSLCERT',
  'PGSSLKEY',
  'BULKHEAD_DATABASE',
] as const;

/** Names people set expecting Bulkhead to read them; the doctor points out that it does not. */
export const NEAR_MISS_VARIABLES = ['POSTGRES_URL', 'POSTGRESQL_URL', 'PG_URL', 'DB_URL', 'DATABASE_URI', 'DB_HOST', 'DB_PASSWORD', 'POSTGRES_HOST', 'POSTGRES_PASSWORD'] as const;

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export type ConnectionField = 'host' | 'port' | 'user' | 'password' | 'database' | 'sslmode' | 'sslrootcert';

/** Everything needed to open a connection, each field with the source it came from. */
export interface ConnectionSettings {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
  /** Only when set explicitly; the TLS policy decides otherwise. */
  sslmode: SslMode | undefined;
  sslrootcert: string | undefined;
  sslcert: string | undefined;
  sslkey: string | undefined;
  /** `uselibpqcompat=true`: sslmode words mean what libpq means (require = encrypted, not verified). */
  libpqCompat: boolean;
  /** URL parameters node-postgres ignores (e.g. Prisma's `schema`). */
  ignoredParams: string[];
  fieldSources: Partial<Record<ConnectionField, string>>;
}

export type DatabaseConfig =
  | { mode: 'configured'; settings: ConnectionSettings; sources: ConfigSource[] }
  | { mode: 'embedded'; reason: string; sources: ConfigSource[] }
  | { mode: 'invalid'; problem: UrlProblem; sources: ConfigSource[] };

/**
 * Decides which database Bulkhead uses and with what settings. DATABASE_URL is the base; PG* variables
 * fill the fields it leaves out (libpq's rule), and when neither names a server, the embedded
 * PostgreSQL is used. `BULKHEAD_DATABASE=embedded` forces the embedded one even with PG* in the shell.
 */
export function resolveDatabaseConfig(layers: readonly EnvLayer[]): DatabaseConfig {
  const vars = resolveVariables(layers, [...DATABASE_VARIABLES]);
  const sources = describeSources(vars);
  const get = (name: string): ResolvedVariable | undefined => vars.get(name);

  if (get('BULKHEAD_DATABASE')?.value.toLowerCase() === 'embedded') {
    return { mode: 'embedded', reason: 'BULKHEAD_DATABASE=embedded', sources };
  }
  const url = get('DATABASE_URL');
  const namesServer = url ?? get('PGHOST') ?? get('PGHOSTADDR') ?? get('PGPORT') ?? get('PGDATABASE');
  if (!namesServer) {
    return { mode: 'embedded', reason: 'neither DATABASE_URL nor PGHOST/PGPORT/PGDATABASE is set', sources };
  }

  const fieldSources: Partial<Record<ConnectionField, string>> = {};
  let fromUrl: ReturnType<typeof parseConnectionUrl> | undefined;
  if (url) {
    fromUrl = parseConnectionUrl(url.value);
    if (!fromUrl.ok) return { mode: 'invalid', problem: fromUrl.problem, sources };
  }
  const parts = fromUrl?.ok ? fromUrl.parts : { params: {} as Record<string, string> };
  const pick = (field: ConnectionField, urlValue: string | undefined, envName: string): string | undefined => {
    if (urlValue !== undefined && url) {
      fieldSources[field] = `DATABASE_URL (${url.source})`;
      return urlValue;
    }
    const env = get(envName);
    if (env) {
      fieldSources[field] = `${envName} (${env.source})`;
      return env.value;
    }
    return undefined;
  };

  const host = pick('host', parts.host, 'PGHOST') ?? pick('host', undefined, 'PGHOSTADDR') ?? defaulted(fieldSources, 'host', 'localhost');
  const portText = pick('port', parts.port === undefined ? undefined : String(parts.port), 'PGPORT') ?? defaulted(fieldSources, 'port', '5432');
  if (!/^\d+$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
    return {
      mode: 'invalid',
      problem: { code: 'PORT_INVALID', message: `The port "${portText}" (${fieldSources.port}) is not a number from 1 to 65535.`, remedy: 'Set the port PostgreSQL listens on, usually 5432.' },
      sources,
    };
  }
  const user = pick('user', parts.user, 'PGUSER') ?? defaulted(fieldSources, 'user', osUserName());
  const password = pick('password', parts.password, 'PGPASSWORD');
  const database = pick('database', parts.database, 'PGDATABASE') ?? defaulted(fieldSources, 'database', user);
  const sslText = pick('sslmode', parts.params.sslmode ?? sslParamAsMode(parts.params.ssl), 'PGSSLMODE');
  let sslmode: SslMode | undefined;
  if (sslText !== undefined) {
    const lowered = sslText.toLowerCase();
    if (!(SSL_MODES as readonly string[]).includes(lowered)) {
      return {
        mode: 'invalid',
        problem: { code: 'SSLMODE_INVALID', message: `sslmode "${sslText}" (${fieldSources.sslmode}) is not a mode PostgreSQL knows.`, remedy: `Use one of: ${SSL_MODES.join(', ')}.` },
        sources,
      };
    }
    sslmode = lowered as SslMode;
  }
  const sslrootcert = pick('sslrootcert', parts.params.sslrootcert, 'PGSSLROOTCERT');
  return {
    mode: 'configured',
    sources,
    settings: {
      host,
      port: Number(portText),
      user,
      password,
      database,
      sslmode,
      sslrootcert,
      sslcert: parts.params.sslcert ?? get('PGSSLCERT')?.value,
      sslkey: parts.params.sslkey ?? get('PGSSLKEY')?.value,
      libpqCompat: parts.params.uselibpqcompat === 'true',
      ignoredParams: Object.keys(parts.params).filter((key) => !KNOWN_URL_PARAMS.has(key)),
      fieldSources,
    },
  };
}

/** `host:port/database` with user, never the password: how a target is shown everywhere. */
export function describeTarget(settings: Pick<ConnectionSettings, 'host' | 'port' | 'user' | 'database'>): string {
  const host = settings.host.includes(':') && !settings.host.startsWith('/') ? `[${settings.host}]` : settings.host;
  return `postgres://${encodeURIComponent(settings.user)}@${host}:${settings.port}/${encodeURIComponent(settings.database)}`;
}

function describeSources(vars: Map<string, ResolvedVariable>): ConfigSource[] {
  return [...vars.values()].map((v) => ({
    name: v.name,
    value: v.name === 'DATABASE_URL' ? maskUrl(v.value) : maskVariable(v.name, v.value),
    source: v.source,
    shadows: [...v.shadows],
  }));
}

function defaulted(fieldSources: Partial<Record<ConnectionField, string>>, field: ConnectionField, value: string): string {
  fieldSources[field] = 'default';
  return value;
}

/** pg-connection-string's `ssl=true|1|false|0` shorthand. */
function sslParamAsMode(ssl: string | undefined): string | undefined {
  if (ssl === undefined) return undefined;
  if (ssl === 'true' || ssl === '1') return 'verify-full';
  if (ssl === 'false' || ssl === '0') return 'disable';
  return undefined;
}

function osUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'postgres';
  }
}
