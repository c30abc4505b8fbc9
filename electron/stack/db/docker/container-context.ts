import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ContainerContext {
  readonly inContainer: boolean;
  readonly runtime: 'docker' | 'podman' | 'kubernetes' | 'container' | null;
  /** What gave it away (or what was checked). */
  readonly evidence: readonly string[];
  /** /etc/hosts maps host.docker.internal (Docker Desktop does it; Linux needs `host-gateway`). */
  readonly hostGatewayInEtcHosts: boolean;
  readonly platform: NodeJS.Platform;
}

/**
 * Are we inside a container? /.dockerenv (Docker), /run/.containerenv (Podman), then /proc/1/cgroup and
 * /proc/self/mountinfo (unreliable on cgroup v2, so only used as extra evidence). `root` lets tests
 * point at a fake filesystem.
 */
export function detectContainer(root = '/', platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): ContainerContext {
  const evidence: string[] = [];
  let runtime: ContainerContext['runtime'] = null;
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
  const hosts = readText(join(root, 'etc/hosts'));
  return {
    inContainer: runtime !== null,
    runtime,
    evidence: evidence.length > 0 ? evidence : ['no /.dockerenv, no /run/.containerenv, no container cgroup'],
    hostGatewayInEtcHosts: /^\s*[^#\s]+\s+(?:.*\s)?host\.docker\.internal(\s|$)/m.test(hosts),
    platform,
  };
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
