import { BulkheadError } from '../errors';
import { MASK } from '../log/redact';

/**
 * How a request to one origin leaves this machine: straight to it, or through the HTTP(S) proxy the
 * environment names. The provider client and the provider doctor both decide with this one function,
 * so the doctor describes exactly the path the client takes.
 */
export interface ProxyRoute {
  /** The proxy's URL (it may carry user:password — never print it; use `display`), or null: direct. */
  readonly proxyUrl: string | null;
  /** The variable that named the proxy (`https_proxy`, `HTTPS_PROXY`, `http_proxy`, `HTTP_PROXY`). */
  readonly variable: string | null;
  /** The NO_PROXY entry that sent this origin direct although a proxy is set. */
  readonly bypassedBy: string | null;
  /** The NO_PROXY variable that was read (`no_proxy` or `NO_PROXY`), when one is set. */
  readonly noProxyVariable: string | null;
  /** The proxy as it may be shown: scheme://host:port, credentials masked. */
  readonly display: string | null;
}

export const DIRECT: ProxyRoute = { proxyUrl: null, variable: null, bypassedBy: null, noProxyVariable: null, display: null };

/** The proxy variables in the order they are read: lower case first, as curl and undici do. */
const HTTPS_VARIABLES = ['https_proxy', 'HTTPS_PROXY'] as const;
const HTTP_VARIABLES = ['http_proxy', 'HTTP_PROXY'] as const;
const NO_PROXY_VARIABLES = ['no_proxy', 'NO_PROXY'] as const;
const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** The first of `names` that is set to something other than blanks. */
export function firstSet(env: NodeJS.ProcessEnv, names: readonly string[]): { name: string; value: string } | null {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return null;
}

/**
 * The route for `targetUrl` under `env`: an https:// target uses https_proxy/HTTPS_PROXY, else (and for
 * http:// targets) http_proxy/HTTP_PROXY; NO_PROXY (`*`, host names matching themselves and their
 * subdomains, optional `:port`, leading `.` or `*.`) sends it direct. A proxy value that is not a usable
 * http(s) URL is an error naming the variable — never a silent direct connection.
 */
export function proxyRouteFor(targetUrl: string, env: NodeJS.ProcessEnv): ProxyRoute {
  const target = new URL(targetUrl);
  const chosen = target.protocol === 'https:' ? (firstSet(env, HTTPS_VARIABLES) ?? firstSet(env, HTTP_VARIABLES)) : firstSet(env, HTTP_VARIABLES);
  if (!chosen) return DIRECT;
  const noProxy = firstSet(env, NO_PROXY_VARIABLES);
  const noProxyVariable = noProxy?.name ?? null;
  const bypassedBy = noProxy ? noProxyMatch(noProxy.value, target) : null;
  if (bypassedBy !== null) return { ...DIRECT, bypassedBy, noProxyVariable };
  const proxy = parseProxyUrl(chosen.name, chosen.value);
  return { proxyUrl: proxy.href, variable: chosen.name, bypassedBy: null, noProxyVariable, display: displayProxy(proxy) };
}

/** `proxy:3128` (no scheme) means http://proxy:3128, as curl reads it. */
export function parseProxyUrl(variable: string, value: string): URL {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new BulkheadError('provider.invalid_proxy', `${variable} is not a URL.`, {
      remedy: `Set ${variable} to the proxy as http://host:port (http://user:password@host:port when it asks for a login), or unset it.`,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BulkheadError('provider.invalid_proxy', `${variable} names a ${url.protocol.replace(':', '')} proxy; Bulkhead speaks to HTTP proxies (http:// or https://) only.`, {
      remedy: `Set ${variable} to the http:// address of your proxy (most SOCKS gateways also offer one), or unset it.`,
    });
  }
  if (url.hostname === '') {
    throw new BulkheadError('provider.invalid_proxy', `${variable} names no host.`, { remedy: `Set ${variable} to http://host:port, or unset it.` });
  }
  return url;
}

/** scheme://host:port of a proxy, with any user name and password masked. */
export function displayProxy(url: URL): string {
  const port = url.port || String(DEFAULT_PORTS[url.protocol] ?? '');
  const login = url.username || url.password ? `${MASK}@` : '';
  return `${url.protocol}//${login}${url.hostname.includes(':') && !url.hostname.startsWith('[') ? `[${url.hostname}]` : url.hostname}:${port}`;
}

/** The NO_PROXY entry that covers `target`, or null. */
export function noProxyMatch(value: string, target: URL): string | null {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = Number(target.port) || DEFAULT_PORTS[target.protocol] || 0;
  for (const raw of value.split(/[,\s]+/)) {
    const entry = raw.trim();
    if (!entry) continue;
    if (entry === '*') return entry;
    const { name, entryPort } = splitNoProxyEntry(entry);
    if (entryPort !== 0 && entryPort !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return entry;
  }
  return null;
}

/** "[::1]:8080", "::1", "host:443", ".example.com", "*.example.com" → the host part and the port (0: any). */
function splitNoProxyEntry(entry: string): { name: string; entryPort: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: (bracketed[1] ?? '').toLowerCase(), entryPort: Number(bracketed[2] ?? 0) };
  // A bare IPv6 literal has several colons and no port.
  if (entry.split(':').length > 2) return { name: entry.toLowerCase(), entryPort: 0 };
  const withPort = /^(.+):(\d+)$/.exec(entry);
  const host = withPort?.[1] ?? entry;
  return { name: host.replace(/^\*?\./, '').toLowerCase(), entryPort: Number(withPort?.[2] ?? 0) };
}

/** Every proxy variable that is set, as `NAME=value` with credentials masked (for the doctor's evidence). */
export function describeProxyVariables(env: NodeJS.ProcessEnv): string[] {
  const lines: string[] = [];
  for (const name of [...HTTPS_VARIABLES, ...HTTP_VARIABLES, ...NO_PROXY_VARIABLES]) {
    const value = env[name];
    if (value === undefined) continue;
    if ((NO_PROXY_VARIABLES as readonly string[]).includes(name)) {
      lines.push(`${name}=${value}`);
      continue;
    }
    let shown: string;
    try {
      shown = displayProxy(parseProxyUrl(name, value.trim()));
    } catch {
      shown = '(not a usable proxy URL)';
    }
    lines.push(`${name}=${value.trim() === '' ? '(empty)' : shown}`);
  }
  return lines;
}
