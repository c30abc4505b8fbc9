import { describe, expect, it } from 'vitest';
import type { ContainerSurroundings, PostgresSighting } from './postgres-sightings';
import { containerLoopbackRemedy, pgvectorInstallRemedy, serverMajor } from './remedies';

describe('pgvector remedy follows the server major version', () => {
  it.each([
    [130015, '13'],
    [150010, '15'],
    [160004, '16'],
    [170002, '17'],
    [180001, '18'],
  ])('server_version_num %i → image pg%s and postgresql-%s-pgvector', (num, major) => {
    const remedy = pgvectorInstallRemedy(num);
    expect(remedy).toContain(`pgvector/pgvector:pg${major} image`);
    expect(remedy).toContain(`postgresql-${major}-pgvector package`);
    expect(remedy).toContain(`pgvector_${major} (RHEL)`);
    // No other major anywhere in it.
    for (const other of ['13', '14', '15', '16', '17', '18'].filter((m) => m !== major)) expect(remedy).not.toMatch(new RegExp(`pg${other}\\b|postgresql-${other}-`));
  });

  it('says pgvector needs 13+ on older servers instead of naming a package that does not exist', () => {
    expect(serverMajor(90624)).toBe('9.6');
    expect(serverMajor(120019)).toBe('12');
    expect(pgvectorInstallRemedy(120019)).toMatch(/needs PostgreSQL 13 or newer and this server is 12/);
    expect(pgvectorInstallRemedy(120019)).not.toMatch(/postgresql-12-pgvector/);
  });

  it('without a version it names the pattern, not a guess', () => {
    expect(pgvectorInstallRemedy(undefined)).not.toMatch(/pg16|postgresql-16/);
    expect(pgvectorInstallRemedy(undefined)).toMatch(/postgresql-MAJOR-pgvector/);
  });
});

describe('localhost refused inside a container: only ports that answered are suggested', () => {
  const settings = { host: '127.0.0.1', port: 1 };
  const docker = { runtime: 'docker' as const, networkNamespace: null };
  const around = (sightings: PostgresSighting[], dockerHostAddress: string | null = '172.17.0.1'): ContainerSurroundings => ({ dockerHostAddress, gateway: '172.17.0.1', sightings, evidence: [] });

  it('nothing answered anywhere: no host:port at all, in particular not host.docker.internal:1', () => {
    const remedy = containerLoopbackRemedy(settings, docker, around([]));
    expect(remedy).toMatch(/^Inside a container, 127\.0\.0\.1 is the container itself: nothing in it listens on port 1\./);
    expect(remedy).not.toMatch(/host\.docker\.internal:\d/);
    expect(remedy).not.toMatch(/\b(db|postgres):\d/);
    expect(remedy).toMatch(/no address to switch to yet/);
  });

  it('the Docker host answers on 5432: that port, not the URL\'s', () => {
    const remedy = containerLoopbackRemedy(settings, docker, around([{ host: 'host.docker.internal', address: '172.17.0.1', port: 5432, via: 'docker-host' }]));
    expect(remedy).toContain('use host.docker.internal:5432 in DATABASE_URL');
    expect(remedy).not.toMatch(/host\.docker\.internal:1\b/);
  });

  it('prefers the URL\'s own port where it answers, and a service name over the Docker host', () => {
    const both = around([
      { host: 'host.docker.internal', address: '172.17.0.1', port: 5433, via: 'docker-host' },
      { host: 'host.docker.internal', address: '172.17.0.1', port: 5432, via: 'docker-host' },
    ]);
    expect(containerLoopbackRemedy({ host: 'localhost', port: 5432 }, docker, both)).toContain('host.docker.internal:5432');
    const withService = around([...both.sightings, { host: 'db', address: '172.18.0.3', port: 5432, via: 'service' }]);
    expect(containerLoopbackRemedy({ host: 'localhost', port: 5432 }, docker, withService)).toContain('use db:5432 in DATABASE_URL');
  });

  it('only the gateway answers and host.docker.internal is unmapped: host-gateway first, then that port', () => {
    const remedy = containerLoopbackRemedy(settings, docker, around([{ host: '172.17.0.1', address: '172.17.0.1', port: 5432, via: 'gateway' }], null));
    expect(remedy).toMatch(/--add-host=host\.docker\.internal:host-gateway.*then use host\.docker\.internal:5432\./);
  });

  it('a bare network namespace is named as such', () => {
    expect(containerLoopbackRemedy(settings, { runtime: 'network-namespace', networkNamespace: 'ci-1' }, around([]))).toMatch(/^Inside a container \(this process runs in its own network namespace, "ci-1"\), 127\.0\.0\.1 is the container itself/);
  });
});
