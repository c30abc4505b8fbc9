import { lookup } from 'node:dns/promises';
import type { ConnectionSettings } from '../db/config/database-config';
import type { ComposeHints } from '../db/docker/compose-hints';
import { findPostgresService } from '../db/docker/compose-hints';
import type { ContainerContext } from '../db/docker/container-context';
import { probeSslSupport } from '../db/tls/ssl-request-probe';

/** Ports a PostgreSQL is usually found on (default, compose-published, PgBouncer, Supabase-style). */
export const USUAL_POSTGRES_PORTS: readonly number[] = [5432, 5433, 5434, 6432, 54322];

/** A place where a PostgreSQL server answered the SSLRequest: proof, not a guess. */
export interface PostgresSighting {
  /** What the user would type: `db`, `host.docker.internal`, or the gateway address. */
  readonly host: string;
  readonly address: string;
  readonly port: number;
  readonly via: 'service' | 'docker-host' | 'gateway';
}

/** What a container can see of the places PostgreSQL usually lives, with the evidence lines. */
export interface ContainerSurroundings {
  /** host.docker.internal's address here, or null when it does not resolve. */
  readonly dockerHostAddress: string | null;
  readonly gateway: string | null;
  readonly sightings: readonly PostgresSighting[];
  readonly evidence: readonly string[];
}

const LOOKUP_MS = 1500;
const PROBE_MS = 600;

/**
 * Which of `ports` on `address` answer like PostgreSQL (an SSLRequest gets 'S', 'N' or 'E'). A port
 * that accepts and says nothing, or speaks another protocol, does not count.
 */
export async function postgresPortsAt(address: string, ports: readonly number[], signal: AbortSignal, timeoutMs = PROBE_MS): Promise<number[]> {
  const unique = [...new Set(ports)].filter((port) => port > 0 && port < 65536);
  const answers = await Promise.all(
    unique.map(async (port) => {
      try {
        const probe = await probeSslSupport(address, port, { signal, timeoutMs });
        probe.socket.destroy();
        return true;
      } catch {
        return false;
      }
    }),
  );
  return unique.filter((_, i) => answers[i]);
}

/** The first IPv4/IPv6 address of a name, or the error code; bounded, since lookups cannot be cancelled. */
export async function resolveQuickly(name: string, timeoutMs = LOOKUP_MS): Promise<{ address: string } | { code: string }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<{ code: string }>((resolve) => {
    timer = setTimeout(() => resolve({ code: 'EAI_AGAIN' }), timeoutMs);
  });
  try {
    return await Promise.race([
      lookup(name).then(
        (result) => ({ address: result.address }),
        (error: NodeJS.ErrnoException) => ({ code: error.code ?? 'ENOTFOUND' }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Ports worth trying on the Docker host: the one in the URL, those compose publishes, the usual ones. */
export function dockerHostPorts(settings: Pick<ConnectionSettings, 'port'>, compose: ComposeHints | null | undefined): number[] {
  const published = compose?.services.flatMap((service) => service.published.map((p) => p.host)) ?? [];
  return [...new Set([settings.port, ...published, ...USUAL_POSTGRES_PORTS])];
}

/**
 * From inside a container whose `localhost` refused: is PostgreSQL at a compose service name, on the
 * Docker host through host.docker.internal, or on the default gateway (the Docker host on a bridge
 * network, reachable even when host.docker.internal is not mapped)? Only names the user's setup
 * suggests and this network's own gateway are tried, each with one SSLRequest.
 */
export async function lookAroundFromContainer(
  settings: Pick<ConnectionSettings, 'port'>,
  container: Pick<ContainerContext, 'defaultGateway'>,
  compose: ComposeHints | null | undefined,
  signal: AbortSignal,
): Promise<ContainerSurroundings> {
  const service = compose ? findPostgresService(compose) : undefined;
  const serviceNames = service ? [service.name] : ['db', 'postgres'];
  const servicePorts = [...new Set([...(service?.published.map((p) => p.container) ?? []), 5432, settings.port])];
  const hostPorts = dockerHostPorts(settings, compose);
  const gateway = container.defaultGateway;

  const [dockerHost, ...services] = await Promise.all([resolveQuickly('host.docker.internal'), ...serviceNames.map((name) => resolveQuickly(name))]);
  const dockerHostAddress = dockerHost && 'address' in dockerHost ? dockerHost.address : null;
  const targets: { host: string; address: string; ports: readonly number[]; via: PostgresSighting['via']; label: string }[] = [];
  const evidence: string[] = [];
  serviceNames.forEach((name, i) => {
    const resolved = services[i];
    if (resolved && 'address' in resolved) targets.push({ host: name, address: resolved.address, ports: servicePorts, via: 'service', label: `${name} → ${resolved.address}` });
    else evidence.push(`${name} does not resolve here (${resolved && 'code' in resolved ? resolved.code : '?'})`);
  });
  if (dockerHostAddress) targets.push({ host: 'host.docker.internal', address: dockerHostAddress, ports: hostPorts, via: 'docker-host', label: `host.docker.internal → ${dockerHostAddress}` });
  else evidence.push(`host.docker.internal does not resolve here (${dockerHost && 'code' in dockerHost ? dockerHost.code : '?'})`);
  if (gateway && gateway !== dockerHostAddress) targets.push({ host: gateway, address: gateway, ports: hostPorts, via: 'gateway', label: `default gateway ${gateway}` });

  const answers = await Promise.all(targets.map((target) => postgresPortsAt(target.address, target.ports, signal)));
  const sightings: PostgresSighting[] = [];
  targets.forEach((target, i) => {
    const ports = answers[i] ?? [];
    evidence.push(`${target.label}: ${ports.length > 0 ? `PostgreSQL answers on ${ports.join(', ')}` : `no PostgreSQL on ${target.ports.join(', ')}`}`);
    for (const port of ports) sightings.push({ host: target.host, address: target.address, port, via: target.via });
  });
  return { dockerHostAddress, gateway, sightings, evidence };
}
