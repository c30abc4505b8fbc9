import { linkSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findPostgresService, parseComposeServices } from './compose-hints';
import { detectContainer, parseDefaultGateway } from './container-context';

const roots: string[] = [];
function fakeRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'bulkhead-root-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('container detection', () => {
  it('finds Docker, Podman and cgroup evidence, and the host-gateway mapping', () => {
    expect(detectContainer(fakeRoot({ '.dockerenv': '' }), 'linux', {})).toMatchObject({ inContainer: true, runtime: 'docker', hostGatewayInEtcHosts: false });
    expect(detectContainer(fakeRoot({ 'run/.containerenv': '' }), 'linux', {})).toMatchObject({ inContainer: true, runtime: 'podman' });
    expect(detectContainer(fakeRoot({ 'proc/1/cgroup': '0::/kubepods/besteffort/pod1\n' }), 'linux', {})).toMatchObject({ inContainer: true, runtime: 'container' });
    const mapped = detectContainer(fakeRoot({ '.dockerenv': '', 'etc/hosts': '127.0.0.1 localhost\n172.17.0.1\thost.docker.internal\n' }), 'linux', {});
    expect(mapped.hostGatewayInEtcHosts).toBe(true);
  });

  it('says no container on a plain machine', () => {
    expect(detectContainer(fakeRoot({ 'etc/hosts': '127.0.0.1 localhost\n' }), 'linux', {})).toMatchObject({ inContainer: false, runtime: null, networkNamespace: null });
  });

  it('BULKHEAD_CONTAINER overrides detection both ways', () => {
    const docker = fakeRoot({ '.dockerenv': '', 'proc/net/route': 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\neth0\t00000000\t010011AC\t0003\t0\t0\t0\t00000000\t0\t0\t0\n' });
    expect(detectContainer(docker, 'linux', {}).defaultGateway).toBe('172.17.0.1');
    const no = detectContainer(docker, 'linux', { BULKHEAD_CONTAINER: 'no' });
    expect(no).toMatchObject({ inContainer: false, runtime: null, defaultGateway: null });
    expect(no.evidence.join(' ')).toMatch(/BULKHEAD_CONTAINER=no/);
    const plain = fakeRoot({ 'etc/hosts': '127.0.0.1 localhost\n' });
    expect(detectContainer(plain, 'linux', { BULKHEAD_CONTAINER: 'yes' })).toMatchObject({ inContainer: true, runtime: 'container' });
    expect(detectContainer(plain, 'linux', { BULKHEAD_CONTAINER: 'maybe' })).toMatchObject({ inContainer: false });
  });

  it('a process in an `ip netns` namespace counts as container-like: its network is not the machine\'s', () => {
    // /run/netns/NAME is the namespace /proc/self/ns/net points at: same inode, as a hard link makes it.
    const root = fakeRoot({ 'proc/self/ns/net': '', 'run/netns/other': '' });
    linkSync(join(root, 'proc/self/ns/net'), join(root, 'run/netns/mine'));
    expect(detectContainer(root, 'linux', {})).toMatchObject({ inContainer: true, runtime: 'network-namespace', networkNamespace: 'mine' });
    // A machine that merely has namespaces (not this process in one) is not a container.
    expect(detectContainer(fakeRoot({ 'proc/self/ns/net': '', 'run/netns/other': '' }), 'linux', {})).toMatchObject({ inContainer: false, networkNamespace: null });
    // Docker's own marks keep their name when both are present.
    const docker = fakeRoot({ '.dockerenv': '', 'proc/self/ns/net': '' });
    mkdirSync(join(docker, 'run/netns'), { recursive: true });
    linkSync(join(docker, 'proc/self/ns/net'), join(docker, 'run/netns/mine'));
    expect(detectContainer(docker, 'linux', {})).toMatchObject({ runtime: 'docker', networkNamespace: 'mine' });
  });

  it('reads the default gateway from /proc/net/route (little-endian hex, RTF_GATEWAY set)', () => {
    const table = [
      'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
      'eth0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0',
      'eth0\t00000000\t010011AC\t0003\t0\t0\t0\t00000000\t0\t0\t0',
    ].join('\n');
    expect(parseDefaultGateway(table)).toBe('172.17.0.1');
    expect(parseDefaultGateway(table.split('\n').slice(0, 2).join('\n'))).toBeNull();
    expect(parseDefaultGateway('')).toBeNull();
    expect(detectContainer(fakeRoot({ '.dockerenv': '', 'proc/net/route': table }), 'linux', {})).toMatchObject({ defaultGateway: '172.17.0.1' });
  });
});

describe('compose hints', () => {
  it('reads services, images and published ports in short and long syntax', () => {
    const services = parseComposeServices(`
name: demo
services:
  app:
    build: .
    environment:
      DATABASE_URL: postgres://app:app@db:5432/rag
  db:
    image: pgvector/pgvector:pg16   # vector
    ports:
      - "127.0.0.1:5433:5432"
  other:
    image: redis:7
    ports:
      - target: 6379
        published: 6380
volumes:
  data:
`);
    expect(services.map((s) => s.name)).toEqual(['app', 'db', 'other']);
    expect(services[1]).toMatchObject({ image: 'pgvector/pgvector:pg16', published: [{ host: 5433, container: 5432 }] });
    expect(services[2]?.published).toEqual([{ host: 6380, container: 6379 }]);
    expect(findPostgresService({ file: 'compose.yml', services })?.name).toBe('db');
  });
});
