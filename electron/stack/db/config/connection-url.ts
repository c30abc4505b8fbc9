import { maskUrl } from './mask';

/** The parts of a postgres:// URL, decoded. Absent parts stay undefined so PG* variables can fill them. */
export interface UrlParts {
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
  /** Query parameters (sslmode, sslrootcert, application_name, ...), decoded. */
  params: Record<string, string>;
}

export interface UrlProblem {
  readonly code: string;
  readonly message: string;
  readonly remedy: string;
}

export type UrlParseResult = { ok: true; parts: UrlParts } | { ok: false; problem: UrlProblem };

/** Query parameters node-postgres understands; others are reported, since they are silently ignored. */
export const KNOWN_URL_PARAMS = new Set([
  'sslmode',
  'sslrootcert',
  'sslcert',
  'sslkey',
  'ssl',
  'uselibpqcompat',
  'application_name',
  'host',
  'port',
  'user',
  'password',
  'dbname',
  'options',
  'connect_timeout',
  'client_encoding',
  'fallback_application_name',
]);

/**
 * Parses a connection URL the way node-postgres will, but explains the mistakes people really make
 * (a JDBC URL, a keyword/value string, a password with '#' or '/', a port that is not a number) instead
 * of "Invalid URL".
 */
export function parseConnectionUrl(raw: string): UrlParseResult {
  const text = raw.trim();
  if (text === '') return problem('URL_EMPTY', 'DATABASE_URL is set but empty.', 'Set it to postgres://USER:PASSWORD@HOST:5432/DATABASE, or unset it to use the embedded database.');
  if (/^jdbc:/i.test(text)) {
    return problem(
      'URL_JDBC',
      'This is a JDBC URL (jdbc:postgresql://...), which only Java drivers read.',
      `Drop the "jdbc:" prefix and put the user and password in the URL: ${suggestFromJdbc(text)}`,
    );
  }
  if (!text.includes('://')) {
    if (/\b(host|dbname|user)\s*=/.test(text)) {
      return problem('URL_KEYWORD_FORM', 'This is a libpq keyword/value string (host=... dbname=...), not a URL.', `Write it as a URL: ${suggestFromKeywords(text)}`);
    }
    return problem('URL_NO_SCHEME', `"${maskUrl(text)}" has no scheme.`, 'Start it with postgres://, e.g. postgres://USER:PASSWORD@HOST:5432/DATABASE.');
  }
  const scheme = text.slice(0, text.indexOf('://')).toLowerCase();
  if (scheme !== 'postgres' && scheme !== 'postgresql') {
    return problem('URL_SCHEME', `The URL scheme is "${scheme}://", not postgres:// or postgresql://.`, scheme === 'postgis' || scheme === 'timescale' ? 'Use postgres:// (the database is still PostgreSQL).' : 'Bulkhead needs a PostgreSQL URL: postgres://USER:PASSWORD@HOST:5432/DATABASE.');
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: explainInvalidUrl(text) };
  }
  const params: Record<string, string> = {};
  for (const [key, value] of url.searchParams) params[key] = value;
  const parts: UrlParts = { params };
  const host = decodeURIComponent(url.hostname);
  if (host !== '') parts.host = host.replace(/^\[|\]$/g, '');
  if (params.host) parts.host = params.host;
  if (url.port !== '') parts.port = Number(url.port);
  if (params.port && /^\d+$/.test(params.port)) parts.port = Number(params.port);
  if (url.username !== '') parts.user = decodeURIComponent(url.username);
  if (params.user) parts.user = params.user;
  if (url.password !== '') parts.password = decodeURIComponent(url.password);
  if (params.password) parts.password = params.password;
  const path = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (path !== '') parts.database = path;
  if (params.dbname) parts.database = params.dbname;
  return { ok: true, parts };
}

function explainInvalidUrl(text: string): UrlProblem {
  const rest = text.slice(text.indexOf('://') + 3);
  const at = rest.lastIndexOf('@');
  const userInfo = at >= 0 ? rest.slice(0, at) : '';
  if (/[#/?[\]\s]/.test(userInfo)) {
    return {
      code: 'URL_PASSWORD_NEEDS_ENCODING',
      message: 'The user or password in the URL contains a character that ends the URL\'s user part early (#, /, ?, [, ] or a space).',
      remedy: 'Percent-encode the password, e.g. in Node: encodeURIComponent(password) — "#" becomes %23, "/" %2F, "?" %3F, "@" %40, space %20.',
    };
  }
  const hostPort = (at >= 0 ? rest.slice(at + 1) : rest).split(/[/?#]/)[0] ?? '';
  const portText = /:([^:\]]*)$/.exec(hostPort)?.[1];
  if (portText !== undefined && portText !== '' && (!/^\d+$/.test(portText) || Number(portText) > 65535)) {
    return { code: 'URL_PORT', message: `The port "${portText}" is not a number from 1 to 65535.`, remedy: 'Use the port PostgreSQL listens on, usually 5432 (or the port published by Docker).' };
  }
  return { code: 'URL_INVALID', message: `"${maskUrl(text)}" is not a valid URL.`, remedy: 'Check it has the form postgres://USER:PASSWORD@HOST:5432/DATABASE, with special characters in the password percent-encoded.' };
}

function suggestFromJdbc(text: string): string {
  try {
    const url = new URL(text.slice(5));
    const user = url.searchParams.get('user') ?? 'USER';
    url.searchParams.delete('user');
    url.searchParams.delete('password');
    const query = url.searchParams.toString();
    return `postgres://${user}:PASSWORD@${url.host}${url.pathname}${query ? `?${query}` : ''}`;
  } catch {
    return 'postgres://USER:PASSWORD@HOST:5432/DATABASE';
  }
}

function suggestFromKeywords(text: string): string {
  const pairs = new Map<string, string>();
  for (const match of text.matchAll(/(\w+)\s*=\s*('([^']*)'|\S+)/g)) pairs.set(match[1] ?? '', match[3] ?? match[2] ?? '');
  const user = pairs.get('user') ?? 'USER';
  const host = pairs.get('host') ?? 'localhost';
  const port = pairs.get('port') ?? '5432';
  const db = pairs.get('dbname') ?? 'DATABASE';
  const sslmode = pairs.get('sslmode');
  return `postgres://${user}${pairs.has('password') ? ':PASSWORD' : ''}@${host}:${port}/${db}${sslmode ? `?sslmode=${sslmode}` : ''}`;
}

function problem(code: string, message: string, remedy: string): UrlParseResult {
  return { ok: false, problem: { code, message, remedy } };
}
