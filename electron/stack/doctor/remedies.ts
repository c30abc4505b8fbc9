import type { ConnectionSettings } from '../db/config/database-config';
import { classifyHost } from '../db/config/host-kind';
import type { ComposeService } from '../db/docker/compose-hints';
import { findPostgresService } from '../db/docker/compose-hints';
import type { ContainerContext } from '../db/docker/container-context';
import type { DoctorContext } from './doctor-context';
import type { ContainerSurroundings, PostgresSighting } from './postgres-sightings';

/** "From the host, use localhost:<published port>", or how to publish one. */
export function publishedPortHint(service: ComposeService | undefined, settings: Pick<ConnectionSettings, 'host' | 'port'>): string {
  const published = service?.published.find((p) => p.container === 5432) ?? service?.published[0];
  if (published) return `From the host use localhost:${published.host} (the port compose publishes for ${service?.name}); keep ${settings.host}:${published.container} for code running inside the compose network.`;
  if (service) return `From the host, publish the port first: add \`ports: ["5432:5432"]\` to the ${service.name} service, then use localhost:5432.`;
  return `From the host use localhost and the published port (\`docker compose port ${settings.host} 5432\` prints it); "${settings.host}" only resolves inside the compose network.`;
}

/**
 * Why nothing answers on host:port, written for where the user is. `surroundings` is what a container
 * could see around it (lookAroundFromContainer); with it, the remedy names only places where
 * PostgreSQL actually answered.
 */
export function refusedRemedy(context: DoctorContext, surroundings?: ContainerSurroundings): string {
  const settings = context.settings;
  if (!settings) return 'Start PostgreSQL, or fix the host and port.';
  if (context.embedded) return 'The embedded PostgreSQL is not running: start Bulkhead again (it restarts it), and check server.log in the data dir if it stops.';
  const kind = classifyHost(settings.host);
  const parts: string[] = [];
  if (context.container?.inContainer && kind === 'loopback') {
    parts.push(containerLoopbackRemedy(settings, context.container, surroundings));
  } else {
    const service = context.compose ? findPostgresService(context.compose) : undefined;
    const published = service?.published.find((p) => p.container === 5432);
    if (published && published.host !== settings.port && kind === 'loopback') {
      parts.push(`${context.compose?.file} publishes ${service?.name} on port ${published.host}, not ${settings.port}: use localhost:${published.host}.`);
    }
    parts.push(`Nothing listens on ${settings.host}:${settings.port}. Start PostgreSQL (\`docker compose up -d\`, \`systemctl start postgresql\`, or \`brew services start postgresql\`), and check the port (\`pg_isready -h ${settings.host} -p ${settings.port}\`).`);
    if (kind !== 'loopback') parts.push("If it runs on another machine, it must listen on the network (listen_addresses = '*' in postgresql.conf) and a firewall must let port " + settings.port + ' through.');
  }
  return parts.join(' ');
}

/**
 * `localhost` refused inside a container. Each alternative is offered only where PostgreSQL answered,
 * with the port it answered on (the URL's port when it answers there too); when nothing answered, no
 * host:port is suggested at all.
 */
export function containerLoopbackRemedy(settings: Pick<ConnectionSettings, 'host' | 'port'>, container: Pick<ContainerContext, 'runtime' | 'networkNamespace'>, surroundings?: ContainerSurroundings): string {
  const namespace = container.runtime === 'network-namespace' ? ` (this process runs in its own network namespace, "${container.networkNamespace}")` : '';
  const head = `Inside a container${namespace}, ${settings.host} is the container itself: nothing in it listens on port ${settings.port}.`;
  const inThisContainer = `if it should run in this container, start it there (\`pg_isready -h ${settings.host} -p ${settings.port}\`)`;
  if (!surroundings) {
    return `${head} If PostgreSQL runs in another container, use its compose service name; if it runs on the Docker host, use host.docker.internal and the port it listens on there (on Linux, with host-gateway mapped); ${inThisContainer}.`;
  }
  const pick = (via: PostgresSighting['via']): PostgresSighting | undefined => {
    const found = surroundings.sightings.filter((s) => s.via === via);
    return found.find((s) => s.port === settings.port) ?? found[0];
  };
  const service = pick('service');
  if (service) return `${head} PostgreSQL answers at the service name ${service.host}:${service.port} (${service.address}): use ${service.host}:${service.port} in DATABASE_URL.`;
  const dockerHost = pick('docker-host');
  if (dockerHost) return `${head} PostgreSQL answers on the Docker host at host.docker.internal:${dockerHost.port}: use host.docker.internal:${dockerHost.port} in DATABASE_URL.`;
  const gateway = pick('gateway');
  if (gateway && !surroundings.dockerHostAddress) {
    return `${head} PostgreSQL answers on the Docker host (at this container's default gateway, ${gateway.address}) on port ${gateway.port}, but host.docker.internal does not resolve here: add \`extra_hosts: ["host.docker.internal:host-gateway"]\` to this service in compose.yml (or \`--add-host=host.docker.internal:host-gateway\` to docker run), then use host.docker.internal:${gateway.port}.`;
  }
  if (gateway) return `${head} PostgreSQL answers at this container's default gateway ${gateway.address} on port ${gateway.port} (not at host.docker.internal, ${surroundings.dockerHostAddress}): use ${gateway.address}:${gateway.port}.`;
  const hostGateway = surroundings.dockerHostAddress ? '' : ' (on Linux, map host.docker.internal with host-gateway: it does not resolve here)';
  return `${head} No PostgreSQL answered anywhere else this container can see (see the evidence), so there is no address to switch to yet. If it should run in another container, start it and use its compose service name, with both services on one network; if it should run on the Docker host, it must listen on the Docker network too (listen_addresses = '*', plus a pg_hba.conf line for the containers' subnet), reached as host.docker.internal${hostGateway}; ${inThisContainer}.`;
}

/** pgvector builds exist for PostgreSQL 13 and newer. */
const PGVECTOR_MIN_MAJOR = 13;

/** PostgreSQL's major version from `server_version_num` (170002 → "17", 90624 → "9.6"). */
export function serverMajor(serverVersionNum: number): string {
  return serverVersionNum >= 100_000 ? String(Math.floor(serverVersionNum / 10_000)) : `${Math.floor(serverVersionNum / 10_000)}.${Math.floor(serverVersionNum / 100) % 100}`;
}

/**
 * How to get pgvector onto this server. Image tags and packages are per major version, and a data
 * directory only works with its own major, so the names follow the server's `server_version_num`.
 */
export function pgvectorInstallRemedy(serverVersionNum: number | undefined): string {
  if (serverVersionNum === undefined || !Number.isFinite(serverVersionNum) || serverVersionNum <= 0) {
    return 'For vector search, run PostgreSQL with pgvector: the pgvector/pgvector image tagged with your server\'s major version (pg17 for PostgreSQL 17), or the postgresql-MAJOR-pgvector package on the server. Full-text retrieval works without it.';
  }
  const major = serverMajor(serverVersionNum);
  if (serverVersionNum < PGVECTOR_MIN_MAJOR * 10_000) {
    return `pgvector needs PostgreSQL ${PGVECTOR_MIN_MAJOR} or newer and this server is ${major}: upgrade it (e.g. the pgvector/pgvector:pg17 image) for vector search. Full-text retrieval works without it.`;
  }
  return `For vector search, run PostgreSQL ${major} with pgvector: the pgvector/pgvector:pg${major} image (same major as this server, so its data directory keeps working), or install the postgresql-${major}-pgvector package (Debian/Ubuntu, PGDG) or pgvector_${major} (RHEL) on the server, then restart Bulkhead. Full-text retrieval works without it.`;
}
