import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface ContainerContext {
  readonly inContainer: boolean;
  /**
   * `network-namespace`: no container runtime left a mark, but this process runs in a network
   * namespace of its own (`ip netns`), so — as in a container — localhost is not the machine's.
   */
  readonly runtime: 'docker' | 'podman' | 'kubernetes' | 'container' | 'network-namespace' | null;
  /** What gave it away (or what was checked). */
  readonly evidence: readonly string[];
  /** /etc/hosts maps host.docker.internal (Docker Desktop does it; Linux needs `host-gateway`). */
  readonly hostGatewayInEtcHosts: boolean;
  /**
   * The IPv4 default gateway of this network namespace (/proc/net/route). On a Docker bridge network
   * it is the Docker host, the address `host-gateway` maps host.docker.internal to.
   */
  readonly defaultGateway: string | null;
  /** The `ip netns` name of the network namespace this process runs in, when it has one. */
  readonly networkNamespace: string | null;
  readonly platform: NodeJS.Platform;
}

/** `BULKHEAD_CONTAINER=yes|no` overrides detection; anything else (or unset) means detect. */
export const CONTAINER_OVERRIDE_VARIABLE = 'BULKHEAD_CONTAINER';

function containerOverride(env: NodeJS.ProcessEnv): 'yes' | 'no' | 'auto' {
  const value = env[CONTAINER_OVERRIDE_VARIABLE]?.trim().toLowerCase();
  if (value === 'yes' || value === '1' || value === 'true') return 'yes';
  if (value === 'no' || value === '0' || value === 'false') return 'no';
  return 'auto';
}

/**
 * Are we inside a container? /.dockerenv (Docker), /run/.containerenv (Podman), then /proc/1/cgroup and
 * /proc/self/mountinfo (unreliable on cgroup v2, so only used as extra evidence). `root` lets tests
 * point at a fake filesystem.
 */
export function detectContainer(root = '/', platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): ContainerContext {
  const override = containerOverride(env);
  if (override === 'no') {
    // Detection can be wrong (cgroup v2 hides most marks; some CI runners carry /.dockerenv but talk to
    // their database like a host). The user's word wins, and the doctor then probes nothing on the
    // container's behalf (no gateway, no compose names).
    return {
      inContainer: false,
      runtime: null,
      evidence: [`${CONTAINER_OVERRIDE_VARIABLE}=no: treated as the host, container detection skipped`],
      hostGatewayInEtcHosts: mapsHostGateway(readText(join(root, 'etc/hosts'))),
      defaultGateway: null,
      networkNamespace: null,
      platform,
    };
  }
  const evidence: string[] = [];
  let runtime: ContainerContext['runtime'] = null;
  if (override === 'yes') evidence.push(`${CONTAINER_OVERRIDE_VARIABLE}=yes`);
  if (existsSync(join(root, '.dockerenv'))) {
    evidence.push('/.dockerenv exists');
    runtime = 'docker';
  }
  if (existsSync(join(root, 'run/.containerenv'))) {
    evidence.push('/run/.containerenv exists');
    runtime ??= 'podman';
  }
  if (env.KUBERNETES_SERVICE_HOST) {
    evidence.push('KUBERNETES_SERVICE_HOST is set');
    runtime ??= 'kubernetes';
  }
  const cgroup = readText(join(root, 'proc/1/cgroup'));
  const cgroupHit = /\b(docker|kubepods|containerd|libpod|lxc)\b/.exec(cgroup);
  if (cgroupHit) {
    evidence.push(`/proc/1/cgroup mentions ${cgroupHit[1]}`);
    runtime ??= 'container';
  }
  const mountinfo = readText(join(root, 'proc/self/mountinfo'));
  const overlayRoot = / \/ [^ ]* [^ ]* - overlay /.test(mountinfo) && /\/(docker|containers)\//.test(mountinfo);
  if (overlayRoot) {
    evidence.push('the root filesystem is a container overlay');
    runtime ??= 'container';
  }
  const networkNamespace = namedNetworkNamespace(root);
  if (networkNamespace) {
    evidence.push(`this process runs in the network namespace "${networkNamespace}" (ip netns), not the machine's`);
    runtime ??= 'network-namespace';
  }
  const hosts = readText(join(root, 'etc/hosts'));
  const defaultGateway = parseDefaultGateway(readText(join(root, 'proc/net/route')));
  if (defaultGateway) evidence.push(`default gateway ${defaultGateway}`);
  if (override === 'yes') runtime ??= 'container';
  return {
    inContainer: runtime !== null,
    runtime,
    evidence: evidence.length > 0 ? evidence : ['no /.dockerenv, no /run/.containerenv, no container cgroup'],
    hostGatewayInEtcHosts: mapsHostGateway(hosts),
    defaultGateway,
    networkNamespace,
    platform,
  };
}

/** Does this hosts file map host.docker.internal (Docker Desktop does; Linux needs `host-gateway`)? */
function mapsHostGateway(hosts: string): boolean {
  return /^\s*[^#\s]+\s+(?:.*\s)?host\.docker\.internal(\s|$)/m.test(hosts);
}

/**
 * The IPv4 default route's gateway from /proc/net/route: destination and mask 0, the RTF_GATEWAY flag,
 * addresses in little-endian hex ("0101A8C0" is 192.168.1.1). Null when there is none.
 */
export function parseDefaultGateway(routeTable: string): string | null {
  const RTF_GATEWAY = 0x2;
  for (const line of routeTable.split('\n').slice(1)) {
    const [, destination, gateway, flags, , , , mask] = line.trim().split(/\s+/);
    if (destination !== '00000000' || mask !== '00000000' || !gateway || !flags) continue;
    if ((Number.parseInt(flags, 16) & RTF_GATEWAY) === 0 || !/^[0-9A-F]{8}$/i.test(gateway)) continue;
    const value = Number.parseInt(gateway, 16);
    return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24].join('.');
  }
  return null;
}

/**
 * `ip netns exec NAME` runs a command in the namespace bound at /run/netns/NAME: when this process's
 * network namespace is one of those, it has a network of its own. Comparing with PID 1's namespace
 * would be more general, but reading /proc/1/ns is often denied.
 */
function namedNetworkNamespace(root: string): string | null {
  const own = statOrNull(join(root, 'proc/self/ns/net'));
  if (!own) return null;
  let names: string[];
  try {
    names = readdirSync(join(root, 'run/netns'));
  } catch {
    return null;
  }
  for (const name of names) {
    const bound = statOrNull(join(root, 'run/netns', name));
    if (bound && bound.ino === own.ino && bound.dev === own.dev) return name;
  }
  return null;
}

function statOrNull(path: string): { ino: bigint; dev: bigint } | null {
  try {
    const stat = statSync(path, { bigint: true });
    return { ino: stat.ino, dev: stat.dev };
  } catch {
    return null;
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
