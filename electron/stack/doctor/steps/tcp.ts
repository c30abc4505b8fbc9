import { classifyHost } from '../../db/config/host-kind';
import { fail, pass, skip, warn, type DoctorStepDefinition } from '../doctor-step';
import { lookAroundFromContainer, postgresPortsAt, USUAL_POSTGRES_PORTS } from '../postgres-sightings';
import { refusedRemedy } from '../remedies';
import { probeTcp } from '../tcp-probe';

const PER_ADDRESS_MS = 3000;

/** Step 5: a TCP connection to every resolved address, timed. One working address is enough to go on. */
export const tcpStep: DoctorStepDefinition = {
  id: 'tcp',
  title: 'TCP connection',
  deadlineMs: 10_000,
  timeoutRemedy: (context) => `Connections to ${context.settings?.host}:${context.settings?.port} hang: a firewall or security group drops them. Open the port to this machine, or check you are on the right network/VPN.`,
  async run(context, signal) {
    const settings = context.settings;
    if (!settings) return skip('no target');
    const addresses = context.addresses ?? [];
    if (addresses.length === 0) {
      context.reachable = [];
      return skip('Unix socket: no TCP');
    }
    const results = await Promise.all(addresses.map((a) => tryConnect(a.address, settings.port, signal)));
    const evidence = results.map((r, i) => `${addresses[i]?.address}:${settings.port} → ${r.ok ? `connected in ${r.ms.toFixed(1)} ms` : `${r.code} after ${r.ms.toFixed(0)} ms`}`);
    context.reachable = addresses.filter((_, i) => results[i]?.ok);
    const failures = results.filter((r) => !r.ok);
    if (failures.length === 0) return pass(`port ${settings.port} open on ${addresses.length === 1 ? addresses[0]?.address : `all ${addresses.length} addresses`}`, evidence);
    if (context.reachable.length > 0) {
      const bad = addresses.filter((_, i) => !results[i]?.ok).map((a) => a.address);
      return warn(
        `port ${settings.port} open on ${context.reachable.map((a) => a.address).join(', ')} but not on ${bad.join(', ')}`,
        `The server listens on some addresses only. Node falls back to the working one, but each connect may first try ${bad.join(', ')}; use ${context.reachable[0]?.address} instead of ${settings.host} to skip it, or make PostgreSQL listen on both (listen_addresses = 'localhost' covers ::1 and 127.0.0.1).`,
        failures[0]?.code,
        evidence,
      );
    }
    const code = failures[0]?.code ?? 'ECONNREFUSED';
    if (code === 'ECONNREFUSED') {
      const kind = classifyHost(settings.host);
      const nearby = kind === 'loopback' || kind === 'docker-host' ? await postgresPortsAt(addresses[0]?.address ?? settings.host, USUAL_POSTGRES_PORTS.filter((p) => p !== settings.port), signal) : [];
      if (nearby.length > 0) evidence.push(`but PostgreSQL answers on ${nearby.map((p) => `${settings.host}:${p}`).join(', ')}`);
      const hint = nearby.length > 0 ? `Wrong port? PostgreSQL answers on ${settings.host}: ${nearby.join(', ')} — try ${settings.host}:${nearby[0]}. ` : '';
      // Inside a container, localhost is the container: look where else PostgreSQL answers before advising.
      const surroundings = context.container?.inContainer && kind === 'loopback' && !context.embedded ? await lookAroundFromContainer(settings, context.container, context.compose, signal) : undefined;
      if (surroundings) evidence.push(...surroundings.evidence);
      return fail(`nothing accepts connections on ${settings.host}:${settings.port} (ECONNREFUSED)`, `${hint}${refusedRemedy(context, surroundings)}`, code, evidence);
    }
    if (code === 'ETIMEDOUT') return fail(`connections to ${settings.host}:${settings.port} time out`, 'Packets are dropped on the way: a firewall, security group or wrong network. Allow port ' + settings.port + ' from this machine, or connect through the right VPN.', code, evidence);
    if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH') {
      const v6Only = addresses.every((a) => a.family === 6);
      return fail(`no route to ${settings.host} (${code})`, v6Only ? `${settings.host} has only IPv6 addresses and this network has no IPv6 route. Use an IPv4 endpoint (many providers offer an IPv4 pooler address).` : 'This machine has no route to that network: check VPN and network settings.', code, evidence);
    }
    return fail(`TCP connection failed (${code})`, refusedRemedy(context), code, evidence);
  },
};

function tryConnect(host: string, port: number, signal: AbortSignal, timeoutMs = PER_ADDRESS_MS): ReturnType<typeof probeTcp> {
  return probeTcp(host, port, signal, timeoutMs);
}
