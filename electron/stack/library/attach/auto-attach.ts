import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import type { AttachHello } from '../../../../shared/contract/attach';
import type { LibraryRegistry } from '../library-registry';
import { AttachReporter } from './attach-reporter';
import { reportFromRegistry } from './report-from-registry';
import { connectWithWs, type ConnectReporterSocket } from './reporter-socket';

export interface AttachToPanelOptions {
  /** The panel's attach URL (what `bulkhead serve` prints after BULKHEAD_ATTACH=). Default: that variable. */
  url?: string;
  /** How the panel names this process. Default: BULKHEAD_PROCESS_NAME, else the command line. */
  name?: string;
  signal?: AbortSignal;
  /** Tests: another connection than the `ws` client. */
  connect?: ConnectReporterSocket;
  intervalMs?: number;
}

/** The process's name on the panel: BULKHEAD_PROCESS_NAME, else `node agent.js --flag`, shortened. */
export function processNameFrom(env: NodeJS.ProcessEnv, argv: readonly string[]): string {
  const given = env.BULKHEAD_PROCESS_NAME?.trim();
  if (given) return given.slice(0, 200);
  const [runtime, script, ...rest] = argv;
  const words = [basename(runtime ?? 'node'), ...(script ? [basename(script)] : []), ...rest];
  const line = words.join(' ');
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

/** Checks the URL before anything connects: a mistake is one line naming the variable and the fix. */
export function parseAttachUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error('BULKHEAD_ATTACH is not a URL; copy the whole BULKHEAD_ATTACH=ws://… line that `bulkhead serve` prints (or Settings shows).');
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new Error(`BULKHEAD_ATTACH must be a ws:// URL (got ${url.protocol}); copy the line \`bulkhead serve\` prints.`);
  }
  if (!url.searchParams.get('token')) throw new Error('BULKHEAD_ATTACH has no token; copy the whole line `bulkhead serve` prints, with its ?token=….');
  return url;
}

/** Starts reporting this process's library primitives to the panel. One reporter per call; stop() or the signal ends it. */
export function attachToPanel(registry: LibraryRegistry, options: AttachToPanelOptions = {}): AttachReporter {
  const raw = options.url ?? process.env.BULKHEAD_ATTACH;
  if (!raw) throw new Error('attachToPanel needs a URL: pass { url } or set BULKHEAD_ATTACH to the line `bulkhead serve` prints.');
  const url = parseAttachUrl(raw);
  const hello: Omit<AttachHello, 'type' | 'protocol'> = {
    instanceId: randomBytes(12).toString('base64url'),
    name: options.name?.slice(0, 200) || processNameFrom(process.env, process.argv),
    pid: process.pid,
    host: hostname().slice(0, 200) || 'unknown',
    startedAt: Math.round(Date.now() - process.uptime() * 1000),
    language: 'node',
    library: 'bulkhead-governance',
  };
  return new AttachReporter({
    url: url.toString(),
    hello,
    collect: () => reportFromRegistry(registry),
    connect: options.connect ?? connectWithWs,
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

let autoReporter: AttachReporter | null | undefined;

/**
 * With BULKHEAD_ATTACH set, the library reports to the panel on its own — no code change in the agent.
 * Runs once per process; a bad URL is one warning on stderr and the process carries on unattached.
 */
export function startAutoAttach(registry: LibraryRegistry, env: NodeJS.ProcessEnv = process.env): AttachReporter | null {
  if (autoReporter !== undefined) return autoReporter;
  autoReporter = null;
  if (!env.BULKHEAD_ATTACH || env.BULKHEAD_ATTACH === '0') return null;
  try {
    autoReporter = attachToPanel(registry, { url: env.BULKHEAD_ATTACH });
  } catch (error) {
    process.emitWarning(error instanceof Error ? error.message : String(error), { code: 'BULKHEAD_ATTACH' });
  }
  return autoReporter;
}

/** The reporter BULKHEAD_ATTACH started, if any (its stats: sent, dropped, state). */
export function autoAttachReporter(): AttachReporter | null {
  return autoReporter ?? null;
}
