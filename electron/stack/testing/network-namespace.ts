/**
 * A network namespace that looks, from inside, like a container on a Docker bridge network — for tests
 * that must see what a container sees (doctor remedies for localhost, service names, host-gateway).
 *
 *   const support = await networkNamespaceSupport();      // { ok: false, reason } where it cannot work
 *   const ns = await NetworkNamespace.create();
 *   ns.setHosts({ db: ns.hostAddress });                   // /etc/hosts inside, for the next run()
 *   const result = await ns.run(process.execPath, ['bin/bulkhead.js', 'doctor', '--json'], { env });
 *   await ns.dispose();                                    // in afterAll / finally
 *
 * Inside: `lo` up, one veth end with `nsAddress` of a private /30, a default route via the other end
 * (`hostAddress`, which stays on the machine — the "Docker host"), /etc/hosts from
 * /etc/netns/NAME/hosts (`ip netns exec` bind-mounts every file of that folder over /etc), names
 * resolved from that file only (nsswitch.conf `hosts: files`, no DNS server). Two `prohibit` routes
 * cover every IPv4 address outside the /30, so nothing run inside can send a packet anywhere but to
 * the addresses the test put on its own veth pair. There is no IPv6 route out either.
 *
 * Names carry the creating process id; a namespace whose process is gone (a killed test run) is
 * removed by the next create(), together with its veth and its /etc/netns folder.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Namespace names: `bulkhead-test-<pid>-<hex6>`; veth ends: `bhkt<hex6>h` (machine) and `bhkt<hex6>n` (inside). */
const NS_PREFIX = 'bulkhead-test-';
const LINK_PREFIX = 'bhkt';
const NETNS_ETC = '/etc/netns';
/** The /30s are picked at random in this range (and checked against every address and route in use). */
const SUBNET_RANGE = { first: 10, second: 231 };

export type NetworkNamespaceSupport = { readonly ok: true } | { readonly ok: false; readonly reason: string };

let supportCheck: Promise<NetworkNamespaceSupport> | null = null;

/** Whether namespaces can be made here; the reason says why not (for the test's skip message). */
export function networkNamespaceSupport(): Promise<NetworkNamespaceSupport> {
  supportCheck ??= checkSupport();
  return supportCheck;
}

async function checkSupport(): Promise<NetworkNamespaceSupport> {
  if (process.platform !== 'linux') return { ok: false, reason: `network namespaces are Linux-only (this is ${process.platform})` };
  if (process.getuid?.() !== 0) return { ok: false, reason: `creating network namespaces needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN); running as uid ${process.getuid?.()}` };
  try {
    await ip(['-V']);
  } catch {
    return { ok: false, reason: 'the `ip` command (iproute2) is not installed' };
  }
  const probe = `${NS_PREFIX}${process.pid}-probe${randomBytes(2).toString('hex')}`;
  try {
    await ip(['netns', 'add', probe]);
  } catch (error) {
    return { ok: false, reason: `\`ip netns add\` is refused here (${firstLine(error)}): a container without CAP_SYS_ADMIN cannot make namespaces` };
  }
  await ip(['netns', 'del', probe]).catch(() => undefined);
  return { ok: true };
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Kill the command after this long (default 60 s). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export class NetworkNamespace {
  private disposed: Promise<void> | null = null;

  private constructor(
    readonly name: string,
    /** The veth end that stays on the machine. */
    readonly hostInterface: string,
    /** The veth end inside the namespace. */
    readonly namespaceInterface: string,
    /** The machine's address on the pair: the namespace's default gateway, where test servers listen. */
    readonly hostAddress: string,
    /** The namespace's own address. */
    readonly nsAddress: string,
  ) {}

  /** Makes a fresh namespace (after removing stale ones of killed runs); undoes everything if a step fails. */
  static async create(): Promise<NetworkNamespace> {
    await removeStaleNamespaces();
    const id = randomBytes(3).toString('hex');
    const subnet = await pickFreeSubnet();
    const ns = new NetworkNamespace(`${NS_PREFIX}${process.pid}-${id}`, `${LINK_PREFIX}${id}h`, `${LINK_PREFIX}${id}n`, subnet.host, subnet.inside);
    try {
      await ns.build();
      return ns;
    } catch (error) {
      await ns.dispose();
      throw error;
    }
  }

  private async build(): Promise<void> {
    const n = ['-n', this.name];
    await ip(['netns', 'add', this.name]);
    // The inside end is created in the namespace directly, so no veth ever sits half-configured on the machine.
    await ip(['link', 'add', this.hostInterface, 'type', 'veth', 'peer', 'name', this.namespaceInterface, 'netns', this.name]);
    await ip(['addr', 'add', `${this.hostAddress}/30`, 'dev', this.hostInterface]);
    await ip(['link', 'set', this.hostInterface, 'up']);
    await ip([...n, 'link', 'set', 'lo', 'up']);
    await ip([...n, 'addr', 'add', `${this.nsAddress}/30`, 'dev', this.namespaceInterface]);
    await ip([...n, 'link', 'set', this.namespaceInterface, 'up']);
    await ip([...n, 'route', 'add', 'default', 'via', this.hostAddress]);
    // The default route is there to be seen (a container has one); these keep any packet from using it.
    await ip([...n, 'route', 'add', 'prohibit', '0.0.0.0/1']);
    await ip([...n, 'route', 'add', 'prohibit', '128.0.0.0/1']);
    mkdirSync(this.etcDir, { recursive: true });
    writeFileSync(join(this.etcDir, 'nsswitch.conf'), 'hosts: files\n');
    writeFileSync(join(this.etcDir, 'resolv.conf'), '# no DNS server in this test namespace: names come from /etc/hosts only\n');
    this.setHosts({});
  }

  /** /etc/netns/NAME: bind-mounted over /etc by `ip netns exec`. */
  get etcDir(): string {
    return join(NETNS_ETC, this.name);
  }

  /**
   * The namespace's /etc/hosts, as Docker writes a container's: localhost on both loopbacks, its own
   * name, then `entries` (name → address). Takes effect for the next run().
   */
  setHosts(entries: Readonly<Record<string, string>>): void {
    const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', `${this.nsAddress}\t${this.name}`, ...Object.entries(entries).map(([name, address]) => `${address}\t${name}`)];
    writeFileSync(join(this.etcDir, 'hosts'), `${lines.join('\n')}\n`);
  }

  /** Runs a command inside the namespace and collects its output; killed at the timeout or on abort. */
  run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('ip', ['netns', 'exec', this.name, command, ...args], { env: options.env ?? {}, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const kill = (): void => {
        child.kill('SIGKILL');
      };
      const timer = setTimeout(kill, options.timeoutMs ?? 60_000);
      options.signal?.addEventListener('abort', kill, { once: true });
      child.once('error', (error) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', kill);
        reject(error);
      });
      child.once('close', (code) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', kill);
        resolve({ code, stdout, stderr });
      });
    });
  }

  /** Deletes the namespace (its veth end goes with it, and so the pair) and its /etc/netns folder. Safe to call twice. */
  dispose(): Promise<void> {
    this.disposed ??= removeNamespace(this.name, this.hostInterface);
    return this.disposed;
  }
}

async function removeNamespace(name: string, hostInterface: string | null): Promise<void> {
  await ip(['netns', 'del', name]).catch(() => undefined);
  if (hostInterface) await ip(['link', 'del', hostInterface]).catch(() => undefined);
  rmSync(join(NETNS_ETC, name), { recursive: true, force: true });
}

/**
 * Removes what killed runs left behind: namespaces whose creating process is gone, veths and
 * /etc/netns folders without a namespace. Links and folders are listed before namespaces, so a live
 * run creating its namespace meanwhile (namespace first, then the rest) is never taken for stale.
 */
export async function removeStaleNamespaces(): Promise<string[]> {
  const links = (await ip(['-o', 'link', 'show'])).split('\n').map((line) => /^\d+:\s+([^:@\s]+)/.exec(line)?.[1]).filter((name): name is string => name?.startsWith(LINK_PREFIX) ?? false);
  const folders = existsSync(NETNS_ETC) ? readdirSync(NETNS_ETC).filter((name) => name.startsWith(NS_PREFIX)) : [];
  const namespaces = (await ip(['netns', 'list'])).split('\n').map((line) => line.split(' ')[0] ?? '').filter((name) => name.startsWith(NS_PREFIX));
  const removed: string[] = [];
  for (const name of namespaces) {
    const pid = Number(/^bulkhead-test-(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || processAlive(pid)) continue;
    await removeNamespace(name, `${LINK_PREFIX}${name.slice(-6)}h`);
    removed.push(name);
  }
  const live = new Set(namespaces.filter((name) => !removed.includes(name)));
  for (const folder of folders) if (!live.has(folder)) rmSync(join(NETNS_ETC, folder), { recursive: true, force: true });
  for (const link of links) {
    const id = link.slice(LINK_PREFIX.length, LINK_PREFIX.length + 6);
    if (![...live].some((name) => name.endsWith(`-${id}`))) await ip(['link', 'del', link]).catch(() => undefined);
  }
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A random /30 in 10.231.0.0/16 that overlaps no address or route on the machine. */
async function pickFreeSubnet(): Promise<{ host: string; inside: string }> {
  const used = [...(await ip(['-4', '-o', 'addr', 'show'])).matchAll(/inet (\d+\.\d+\.\d+\.\d+)\/(\d+)/g), ...(await ip(['-4', 'route', 'show', 'table', 'all'])).matchAll(/^(?:\S+ )?(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?/gm)].map(
    (match) => ({ base: toInt(match[1] ?? '0.0.0.0'), bits: Number(match[2] ?? 32) }),
  ).filter(({ bits }) => bits >= 8); // catch-alls such as a VPN's 0.0.0.0/1 are routes, not networks in use
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = toInt(`${SUBNET_RANGE.first}.${SUBNET_RANGE.second}.${randomInt(256)}.${randomInt(64) * 4}`);
    const overlaps = used.some(({ base: other, bits }) => {
      const shared = Math.min(bits, 30);
      const mask = shared === 0 ? 0 : (0xffffffff << (32 - shared)) >>> 0;
      return ((base & mask) >>> 0) === ((other & mask) >>> 0);
    });
    if (!overlaps) return { host: fromInt(base + 1), inside: fromInt(base + 2) };
  }
  throw new Error(`no free /30 found in ${SUBNET_RANGE.first}.${SUBNET_RANGE.second}.0.0/16`);
}

function randomInt(below: number): number {
  return randomBytes(2).readUInt16BE(0) % below;
}

function toInt(address: string): number {
  return address.split('.').reduce((value, octet) => ((value << 8) | Number(octet)) >>> 0, 0);
}

function fromInt(value: number): string {
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff].join('.');
}

async function ip(args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run('ip', [...args], { timeout: 10_000 });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`ip ${args.join(' ')}: ${stderr || firstLine(error)}`, { cause: error });
  }
}

function firstLine(error: unknown): string {
  const text = (error as { stderr?: string }).stderr?.trim() || (error instanceof Error ? error.message : String(error));
  return text.split('\n')[0] ?? text;
}
