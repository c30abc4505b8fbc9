import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkNamespace, networkNamespaceSupport, removeStaleNamespaces } from './network-namespace';

const execFileAsync = promisify(execFile);
const support = await networkNamespaceSupport();
const title = `network namespace test harness${support.ok ? '' : ` — skipped: ${support.reason}`}`;

async function ipOut(args: string[]): Promise<string> {
  return (await execFileAsync('ip', args)).stdout;
}

/** A pid that was just in use and now is not: what a killed test run leaves in a namespace name. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid ?? 0;
  await new Promise((resolve) => child.once('exit', resolve));
  return pid;
}

describe.skipIf(!support.ok)(title, () => {
  let ns: NetworkNamespace | undefined;
  beforeAll(async () => {
    ns = await NetworkNamespace.create();
  }, 60_000);
  afterAll(async () => {
    await ns?.dispose();
  });

  it('inside: loopback, the /30, a default route via the machine end, and /etc/hosts from the namespace folder only', async () => {
    ns!.setHosts({ db: ns!.hostAddress });
    const script = 'cat /etc/hosts; echo ---; getent hosts db; echo ---; getent hosts example.com || echo unresolved; echo ---; ip -4 route; echo ---; ip -4 -o addr';
    const result = await ns!.run('/bin/sh', ['-c', script], { env: { PATH: process.env.PATH } });
    const [hosts, db, other, routes, addrs] = result.stdout.split('---\n');
    expect(hosts).toMatch(/^127\.0\.0\.1\tlocalhost$/m);
    expect(db?.trim()).toMatch(new RegExp(`^${ns!.hostAddress.replace(/\./g, '\\.')}\\s+db$`));
    expect(other?.trim()).toBe('unresolved'); // no DNS: names come from the hosts file only
    expect(routes).toContain(`default via ${ns!.hostAddress}`);
    expect(routes).toMatch(/prohibit 0\.0\.0\.0\/1/);
    expect(addrs).toContain(`inet ${ns!.nsAddress}/30`);
    expect(addrs).toMatch(/lo\s+inet 127\.0\.0\.1\/8/);
  });

  it('nothing inside can send a packet outside the /30: any other address fails at once', async () => {
    // 203.0.113.1 is TEST-NET-3 (documentation only); the prohibit route rejects it before it is sent.
    const probe = "require('net').connect(80, '203.0.113.1').on('error', (e) => { console.log(e.code); }).on('connect', () => console.log('connected'))";
    const outside = await ns!.run(process.execPath, ['-e', probe], { env: {}, timeoutMs: 10_000 });
    expect(outside.stdout.trim()).toBe('EACCES'); // what a prohibit route answers
    // The machine end of the pair is reachable (refused: nothing listens on port 1 there).
    const inside = await ns!.run(process.execPath, ['-e', probe.replace("80, '203.0.113.1'", `1, '${ns!.hostAddress}'`)], { env: {}, timeoutMs: 10_000 });
    expect(inside.stdout.trim()).toBe('ECONNREFUSED');
  });

  it('a namespace left by a killed run (dead pid) is removed with its veth and folder; live ones are kept', async () => {
    const name = `bulkhead-test-${await deadPid()}-abc123`;
    await execFileAsync('ip', ['netns', 'add', name]);
    await execFileAsync('ip', ['link', 'add', 'bhktabc123h', 'type', 'veth', 'peer', 'name', 'bhktabc123n', 'netns', name]);
    mkdirSync(`/etc/netns/${name}`, { recursive: true });
    writeFileSync(`/etc/netns/${name}/hosts`, '127.0.0.1 localhost\n');
    const removed = await removeStaleNamespaces();
    expect(removed).toContain(name);
    expect(await ipOut(['netns', 'list'])).not.toContain(name);
    expect(await ipOut(['-o', 'link', 'show'])).not.toContain('bhktabc123h');
    expect(existsSync(`/etc/netns/${name}`)).toBe(false);
    expect(removed).not.toContain(ns!.name);
    expect(await ipOut(['netns', 'list'])).toContain(ns!.name);
  });

  it('dispose removes the namespace, both veth ends and the hosts folder, and can be called twice', async () => {
    const other = await NetworkNamespace.create();
    expect(other.hostAddress).not.toBe(ns!.hostAddress);
    await Promise.all([other.dispose(), other.dispose()]);
    expect(await ipOut(['netns', 'list'])).not.toContain(other.name);
    expect(await ipOut(['-o', 'link', 'show'])).not.toContain(other.hostInterface);
    expect(await ipOut(['-4', '-o', 'addr'])).not.toContain(`${other.hostAddress}/30`);
    expect(existsSync(other.etcDir)).toBe(false);
  });
});
