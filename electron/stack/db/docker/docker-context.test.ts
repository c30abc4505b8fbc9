import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findPostgresService, parseComposeServices } from './compose-hints';
import { detectContainer } from './container-context';

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
    expect(detectContainer(fakeRoot({ 'etc/hosts': '127.0.0.1 localhost\n' }), 'linux', {})).toMatchObject({ inContainer: false, runtime: null });
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
