import { MASK } from '../../log/redact';

/** What a redis:// or rediss:// URL asks for. The password never leaves this object except to AUTH. */
export interface RedisTarget {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly db: number;
  /** `redis://user:****@host:port/db`: what reports and logs show. */
  readonly masked: string;
}

/** A URL the Redis doctor cannot use, with the field at fault and the fix. */
export class RedisUrlError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly remedy: string,
  ) {
    super(message);
  }
}

const DEFAULT_PORT = 6379;

/**
 * Parses the store's URL the way Redis clients read it: `redis[s]://[[user]:password@]host[:port][/db]`.
 * A password alone (`redis://:secret@host`) authenticates the default user; a user name too selects an
 * ACL user (Redis 6+).
 */
export function parseRedisTarget(raw: string): RedisTarget {
  const text = raw.trim();
  if (text === '') throw new RedisUrlError('URL_EMPTY', 'the Redis URL is empty', 'Give the store URL, e.g. redis://localhost:6379 or rediss://:<password>@host:6380/0.');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RedisUrlError('URL_INVALID', 'the Redis URL does not parse', 'Write it as redis://[user:password@]host[:port][/db]; percent-encode @, : and / inside the password (%40, %3A, %2F).');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new RedisUrlError('URL_SCHEME', `the scheme is ${url.protocol.replace(/:$/, '')}://, not redis:// or rediss://`, 'Use redis://host:6379 for plain TCP or rediss://host:port for TLS (managed Redis services usually need rediss://).');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === '') throw new RedisUrlError('URL_NO_HOST', 'the Redis URL names no host', 'Put the host after the scheme: redis://localhost:6379.');
  const port = url.port === '' ? DEFAULT_PORT : Number(url.port);
  const path = url.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d{1,5}$/.test(path)) {
    throw new RedisUrlError('URL_DB', `the database part "/${path}" is not a number`, 'The path of a Redis URL is the logical database index (/0 … /15 by default); leave it out for 0.');
  }
  const decode = (value: string): string | undefined => {
    if (value === '') return undefined;
    try {
      return decodeURIComponent(value);
    } catch {
      throw new RedisUrlError('URL_INVALID', 'the user or password part of the Redis URL has a broken %-escape', 'Percent-encode special characters in the password (%40 for @, %25 for %).');
    }
  };
  const username = decode(url.username);
  const password = decode(url.password);
  const userInfo = password !== undefined ? `${url.username}:${MASK}@` : username !== undefined ? `${url.username}@` : '';
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    host,
    port,
    tls: url.protocol === 'rediss:',
    username,
    password,
    db: path === '' ? 0 : Number(path),
    masked: `${url.protocol}//${userInfo}${hostPart}:${port}${path === '' ? '' : `/${path}`}`,
  };
}
