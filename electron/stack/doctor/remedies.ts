import type { ConnectionSettings } from '../db/config/database-config';
import { classifyHost } from '../db/config/host-kind';
import type { ComposeService } from '../db/docker/compose-hints';
import { findPostgresService } from '../db/docker/compose-hints';
import type { DoctorContext } from './doctor-context';

/** "From the host, use localhost:<published port>", or how to publish one. */
export function publishedPortHint(service: ComposeService | undefined, settings: Pick<ConnectionSettings, 'host' | 'port'>): string {
  const published = service?.published.find((p) => p.container === 5432) ?? service?.published[0];
  if (published) return `From the host use localhost:${published.host} (the port compose publishes for ${service?.name}); keep ${settings.host}:${published.container} for code running inside the compose network.`;
  if (service) return `From the host, publish the port first: add \`ports: ["5432:5432"]\` to the ${service.name} service, then use localhost:5432.`;
  return `From the host use localhost and the published port (\`docker compose port ${settings.host} 5432\` prints it); "${settings.host}" only resolves inside the compose network.`;
}

/** Why nothing answers on host:port, written for where the user is. */
export function refusedRemedy(context: DoctorContext): string {
  const settings = context.settings;
  if (!settings) return 'Start PostgreSQL, or fix the host and port.';
  if (context.embedded) return 'The embedded PostgreSQL is not running: start Bulkhead again (it restarts it), and check server.log in the data dir if it stops.';
  const kind = classifyHost(settings.host);
  const parts: string[] = [];
  if (context.container?.inContainer && kind === 'loopback') {
    const service = context.compose ? findPostgresService(context.compose) : undefined;
    parts.push(`Inside a container, ${settings.host} is the container itself: nothing in this container listens on port ${settings.port}. If PostgreSQL runs in another container, use its compose service name (${service?.name ?? 'db'}:5432); if it runs on the Docker host, use host.docker.internal:${settings.port}; if it runs in this container, check the port (\`pg_isready -h ${settings.host} -p ${settings.port}\`).`);
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
