/**
 * Docker networking, proven without Docker: the real `bulkhead doctor --json` runs inside a network
 * namespace that is wired like a container on a bridge network (testing/network-namespace.ts), while a
 * real PostgreSQL listens on the machine's end of the veth pair — the "Docker host". What the doctor
 * sees and says there is what it sees and says in a container. See docs/network-namespace-tests.md.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../shared/contract/doctor';
import { startTestServer, type TestServer } from '../db/testing/test-server';
import { NetworkNamespace, networkNamespaceSupport } from '../testing/network-namespace';
import { statusLine, stepOf } from './testing/doctor-testing';

const support = await networkNamespaceSupport();
const BIN = resolve(import.meta.dirname, '../../../bin/bulkhead.js');

let ns: NetworkNamespace | undefined;
let server: TestServer | undefined;
const dirs: string[] = [];

function folder(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-netns-doctor-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** `bulkhead doctor --json` inside the namespace, with this /etc/hosts and DATABASE_URL. */
async function doctorInside(databaseUrl: string, hosts: Record<string, string>, cwd = folder()): Promise<DoctorReport & { exitCode: number | null }> {
  if (!ns) throw new Error('no namespace');
  ns.setHosts(hosts);
  const env = { PATH: process.env.PATH, HOME: tmpdir(), DATABASE_URL: databaseUrl, BULKHEAD_DATA_DIR: folder(), NO_COLOR: '1' };
  const result = await ns.run(process.execPath, [BIN, 'doctor', '--json'], { env, cwd, timeoutMs: 90_000 });
  let report: DoctorReport;
  try {
    report = JSON.parse(result.stdout) as DoctorReport;
  } catch {
    throw new Error(`doctor printed no JSON (exit ${result.code}): ${result.stdout}\n${result.stderr}`);
  }
  return { ...report, exitCode: result.code };
}

/** Whether PostgreSQL accepts TCP on address:port, seen from the machine (to check what a remedy claims). */
function accepts(address: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: address, port });
    const finish = (ok: boolean): void => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(2000, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

const url = (host: string, port: number): string => {
  if (!server) throw new Error('no server');
  return `postgres://${server.user}:${encodeURIComponent(server.password)}@${host}:${port}/${server.database}`;
};

const title = `doctor inside a network namespace wired like a container${support.ok ? '' : ` — skipped: ${support.reason}`}`;

describe.skipIf(!support.ok)(title, () => {
  beforeAll(async () => {
    ns = await NetworkNamespace.create();
    // A real PostgreSQL on the machine's end of the veth (and 127.0.0.1, where it reports ready),
    // accepting password logins from the namespace's address only.
    server = await startTestServer({
      serverSettings: { listen_addresses: `127.0.0.1,${ns.hostAddress}` },
      hbaLines: [`host all all ${ns.nsAddress}/32 scram-sha-256`],
    });
  }, 120_000);

  afterAll(async () => {
    try {
      await server?.dispose();
    } finally {
      await ns?.dispose();
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('localhost inside is not the host: tcp refuses, and the remedy finds PostgreSQL on the Docker host behind the gateway', async () => {
    const port = server!.port;
    const report = await doctorInside(url('localhost', port), {});
    expect(report.exitCode).toBe(1);
    // Where a container runtime left its mark (this machine may itself be a container) it is named; else the namespace.
    expect(stepOf(report, 'container').detail).toMatch(/^inside (a \w+ container|its own network namespace "bulkhead-test-)/);
    expect(stepOf(report, 'container').detail).toContain(`this process runs in the network namespace "${ns!.name}" (ip netns)`);
    expect(stepOf(report, 'tcp')).toMatchObject({ status: 'fail', code: 'ECONNREFUSED' });
    const remedy = stepOf(report, 'tcp').remedy ?? '';
    expect(remedy).toMatch(/^Inside a container.*, localhost is the container itself: nothing in it listens on port \d+\./);
    // Evidence, not a guess: PostgreSQL answered at the gateway on the URL's port, and the name to use needs host-gateway.
    expect(stepOf(report, 'tcp').detail).toContain(`default gateway ${ns!.hostAddress}: PostgreSQL answers on ${port}`);
    expect(stepOf(report, 'tcp').detail).toContain('host.docker.internal does not resolve here (ENOTFOUND)');
    expect(remedy).toContain(`PostgreSQL answers on the Docker host (at this container's default gateway, ${ns!.hostAddress}) on port ${port}`);
    expect(remedy).toMatch(/host\.docker\.internal:host-gateway/);
    expect(remedy).toContain(`then use host.docker.internal:${port}`);
  });

  it('localhost inside, with a compose service `db` resolving: the remedy says to use db and its port', async () => {
    const port = server!.port;
    const report = await doctorInside(url('localhost', port), { db: ns!.hostAddress });
    expect(stepOf(report, 'tcp')).toMatchObject({ status: 'fail', code: 'ECONNREFUSED' });
    expect(stepOf(report, 'tcp').remedy).toContain(`PostgreSQL answers at the service name db:${port} (${ns!.hostAddress}): use db:${port} in DATABASE_URL.`);
  });

  it('a compose-style service name in the namespace hosts file resolves to the database, and every step passes', async () => {
    const report = await doctorInside(url('db', server!.port), { db: ns!.hostAddress });
    expect(report.exitCode, statusLine(report)).toBe(0);
    expect(report.ok).toBe(true);
    for (const step of report.steps) expect(['pass', 'warn'], `${step.id}: ${step.detail}`).toContain(step.status);
    expect(stepOf(report, 'dns').detail).toMatch(new RegExp(`^db → ${ns!.hostAddress.replace(/\./g, '\\.')}$`, 'm'));
    expect(stepOf(report, 'auth').status).toBe('pass');
    expect(report.target).not.toContain(server!.password);
  });

  it('a service name that does not resolve inside: the remedy is about compose networks, not localhost', async () => {
    const report = await doctorInside(url('db', server!.port), {});
    expect(stepOf(report, 'dns')).toMatchObject({ status: 'fail', code: 'ENOTFOUND' });
    expect(stepOf(report, 'dns').remedy).toMatch(/^Inside this container "db" does not resolve: the service is not on the same compose network/);
  });

  it('host.docker.internal missing (Linux without host-gateway): the remedy names host-gateway and the port that answers behind it', async () => {
    const port = server!.port;
    const report = await doctorInside(url('host.docker.internal', port), {});
    expect(stepOf(report, 'container')).toMatchObject({ status: 'warn', code: 'HOST_GATEWAY_MISSING' });
    expect(stepOf(report, 'dns')).toMatchObject({ status: 'fail', code: 'ENOTFOUND' });
    const remedy = stepOf(report, 'dns').remedy ?? '';
    expect(remedy).toMatch(/extra_hosts: \["host\.docker\.internal:host-gateway"\].*--add-host=host\.docker\.internal:host-gateway/);
    expect(remedy).toContain(`the machine behind this container's default gateway, ${ns!.hostAddress}, where PostgreSQL answers on port ${port}: then use host.docker.internal:${port}`);
    expect(stepOf(report, 'dns').detail).toContain(`default gateway ${ns!.hostAddress} (the Docker host, seen from this network): PostgreSQL answers on ${port}`);
  });

  it('…and with host-gateway mapped (as --add-host does), the same URL passes', async () => {
    const report = await doctorInside(url('host.docker.internal', server!.port), { 'host.docker.internal': ns!.hostAddress });
    expect(report.ok, statusLine(report)).toBe(true);
    expect(stepOf(report, 'container').status).toBe('pass');
  });

  it('127.0.0.1:1 inside: suggests host.docker.internal only with a port where PostgreSQL answers, never :1', async () => {
    const port = server!.port;
    const compose = folder({ 'compose.yml': `services:\n  db:\n    image: pgvector/pgvector:pg17\n    ports:\n      - "${port}:5432"\n` });
    const withCompose = await doctorInside(url('127.0.0.1', 1), { 'host.docker.internal': ns!.hostAddress }, compose);
    const remedy = stepOf(withCompose, 'tcp').remedy ?? '';
    expect(remedy).not.toMatch(/host\.docker\.internal:1\b/);
    expect(remedy).toContain(`PostgreSQL answers on the Docker host at host.docker.internal:${port}: use host.docker.internal:${port}`);

    // No compose file: only the URL's port and the usual ones are tried; whatever port is named answers.
    const bare = await doctorInside(url('127.0.0.1', 1), { 'host.docker.internal': ns!.hostAddress });
    const bareRemedy = stepOf(bare, 'tcp').remedy ?? '';
    expect(bareRemedy).not.toMatch(/host\.docker\.internal:1\b/);
    for (const match of bareRemedy.matchAll(/host\.docker\.internal:(\d+)/g)) expect(await accepts(ns!.hostAddress, Number(match[1]))).toBe(true);
    if (!/host\.docker\.internal:\d/.test(bareRemedy)) expect(bareRemedy).toMatch(/No PostgreSQL answered anywhere else this container can see/);
  });
});
