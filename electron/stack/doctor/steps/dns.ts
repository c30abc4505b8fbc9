import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { classifyHost, looksLikePlaceholderHost } from '../../db/config/host-kind';
import { findPostgresService } from '../../db/docker/compose-hints';
import { fail, pass, skip, type DoctorStepDefinition } from '../doctor-step';
import type { ComposeHints } from '../../db/docker/compose-hints';
import { dockerHostPorts, postgresPortsAt } from '../postgres-sightings';
import { publishedPortHint } from '../remedies';

/** Step 4: every address the host resolves to, IPv4 and IPv6, in the order the system returns them. */
export const dnsStep: DoctorStepDefinition = {
  id: 'dns',
  title: 'Name resolution (DNS)',
  deadlineMs: 5000,
  timeoutRemedy: (context) => `The resolver did not answer for ${context.settings?.host}: check your network, VPN or DNS settings (/etc/resolv.conf).`,
  async run(context, signal) {
    const settings = context.settings;
    if (!settings) return skip('no target');
    const host = settings.host;
    const kind = classifyHost(host);
    if (kind === 'socket') {
      context.addresses = [];
      return skip(`${host} is a Unix socket directory: no name to resolve`);
    }
    if (isIP(host)) {
      context.addresses = [{ address: host, family: isIP(host) }];
      return pass(`${host} is an IP address (IPv${isIP(host)})`);
    }
    try {
      const addresses = await lookup(host, { all: true, verbatim: true });
      context.addresses = addresses;
      const evidence = addresses.map((a, i) => `${i + 1}. ${a.address} (IPv${a.family})`);
      if (kind === 'loopback' && addresses.length > 1) evidence.push('localhost has several addresses: node tries them in turn, so a server listening on only one of them still works, but slower tools may not');
      return pass(`${host} → ${addresses.map((a) => a.address).join(', ')}`, evidence);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'ENOTFOUND';
      const container = context.container;
      const evidence: string[] = [];
      let remedy: string;
      if (code === 'EAI_AGAIN' && kind !== 'docker-host') {
        remedy = `The DNS resolver did not answer (offline, VPN, or a container without DNS). Check the network, then retry; an IP address avoids DNS entirely.`;
      } else if (looksLikePlaceholderHost(host)) {
        remedy = `"${host}" is a placeholder: replace it with your server's host name (localhost for a local PostgreSQL).`;
      } else if (kind === 'service-name' && !container?.inContainer) {
        const service = context.compose ? findPostgresService(context.compose, host) : undefined;
        remedy = `"${host}" looks like a Docker compose service name, which resolves only inside the compose network. ${publishedPortHint(service, settings)}`;
      } else if (kind === 'service-name' && container?.inContainer) {
        const service = context.compose ? findPostgresService(context.compose, host) : undefined;
        const published = service?.published.find((p) => p.container === 5432);
        remedy = `Inside this container "${host}" does not resolve: the service is not on the same compose network (check \`networks:\` of both services), or the name is misspelled (\`docker compose ps\` lists services).${published ? ` If Bulkhead is not one of the compose services, reach the database through its published port instead: host.docker.internal:${published.host} from a container, localhost:${published.host} from the host.` : ''}`;
      } else if (kind === 'docker-host' && !container?.inContainer) {
        remedy = `${host} is how a container reaches the Docker host; this is not a container, so use localhost:${settings.port} here (and ${host} only in code that runs in a container).`;
      } else if (kind === 'docker-host') {
        const gateway = await dockerHostBehindGateway(settings.port, container?.defaultGateway ?? null, context.compose, signal);
        if (gateway) evidence.push(gateway.evidence);
        remedy = `On Linux, ${host} exists only when the container is started with \`extra_hosts: ["host.docker.internal:host-gateway"]\` (compose) or \`--add-host=host.docker.internal:host-gateway\` (docker run); Docker Desktop defines it by itself.${gateway?.advice ?? ''}`;
      } else {
        remedy = `Check the spelling of "${host}". For a cloud database, copy the host from the provider's console; for a local one, use localhost.`;
      }
      return fail(`${host} does not resolve (${code})`, remedy, code, evidence);
    }
  },
};

/**
 * host-gateway maps host.docker.internal to the Docker host, which a container on a bridge network
 * reaches through its default gateway (an address of the host). Whether PostgreSQL answers there decides what to say after "add host-gateway": the port to use, or that PostgreSQL on the host
 * does not listen on the Docker network yet.
 */
async function dockerHostBehindGateway(port: number, gateway: string | null, compose: ComposeHints | null | undefined, signal: AbortSignal): Promise<{ evidence: string; advice: string } | null> {
  if (!gateway) return null;
  const tried = dockerHostPorts({ port }, compose);
  const answering = await postgresPortsAt(gateway, tried, signal);
  const chosen = answering.includes(port) ? port : answering[0];
  if (chosen === undefined) {
    return {
      evidence: `default gateway ${gateway} (the Docker host, seen from this network): no PostgreSQL on ${tried.join(', ')}`,
      advice: ` host-gateway maps it to the Docker host — the machine behind this container's default gateway, ${gateway} — where no PostgreSQL answers on the usual ports yet: PostgreSQL on the host must listen on the Docker network too (listen_addresses = '*', plus a pg_hba.conf line for the containers' subnet).`,
    };
  }
  return {
    evidence: `default gateway ${gateway} (the Docker host, seen from this network): PostgreSQL answers on ${answering.join(', ')}`,
    advice: ` host-gateway maps it to the Docker host — the machine behind this container's default gateway, ${gateway}, where PostgreSQL answers on port ${chosen}: then use host.docker.internal:${chosen}.`,
  };
}
