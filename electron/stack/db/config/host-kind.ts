import { isIP } from 'node:net';

/**
 * What kind of host a connection names. It decides the default TLS policy (local and container-local
 * hosts go without TLS) and which remedy fits when the host cannot be reached.
 */
export type HostKind =
  /** A Unix socket directory (`/var/run/postgresql`). */
  | 'socket'
  /** `localhost`, 127.0.0.0/8, ::1: this machine, or this container when inside one. */
  | 'loopback'
  /** `host.docker.internal` and friends: the Docker host seen from a container. */
  | 'docker-host'
  /** A single-label name such as `db` or `postgres`: a compose service name or a /etc/hosts alias. */
  | 'service-name'
  | 'ip'
  | 'hostname';

const DOCKER_HOST_NAMES = new Set(['host.docker.internal', 'gateway.docker.internal', 'host.containers.internal']);

export function classifyHost(host: string): HostKind {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare.startsWith('/')) return 'socket';
  if (bare === 'localhost' || bare.endsWith('.localhost')) return 'loopback';
  const ipVersion = isIP(bare);
  if (ipVersion === 4) return bare.startsWith('127.') ? 'loopback' : 'ip';
  if (ipVersion === 6) return bare === '::1' || bare === '0:0:0:0:0:0:0:1' ? 'loopback' : 'ip';
  if (DOCKER_HOST_NAMES.has(bare)) return 'docker-host';
  if (!bare.includes('.')) return 'service-name';
  return 'hostname';
}

/** Hosts where the default is no TLS: traffic never leaves the machine or the compose network. */
export function isLocalHostKind(kind: HostKind): boolean {
  return kind === 'socket' || kind === 'loopback' || kind === 'docker-host' || kind === 'service-name';
}

/** Names copied from documentation and never replaced. */
const PLACEHOLDER_HOSTS = new Set(['host', 'hostname', 'your-host', 'yourhost', 'server', 'example.com', 'db.example.com', 'my-host', 'myhost']);

export function looksLikePlaceholderHost(host: string): boolean {
  const bare = host.toLowerCase();
  return PLACEHOLDER_HOSTS.has(bare) || /^<.*>$/.test(bare) || /^\$\{?[A-Z_]+\}?$/i.test(host);
}
