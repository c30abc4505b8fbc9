import { createInterface } from 'node:readline';
import { describeToxic } from '../../../shared/toxic-text';
import { FaultProxy } from '../../stack/chaos/proxy/fault-proxy';
import { parseHostPort } from '../../stack/chaos/proxy/host-port';
import { formatProxyStatus, PROXY_CONSOLE_HELP, runProxyConsoleLine } from '../../stack/chaos/proxy/proxy-console';
import { parseToxicSpec, TOXIC_SPEC_HELP } from '../../stack/chaos/proxy/toxic-spec';
import { isBulkheadError } from '../../stack/errors';
import { createRandom } from '../../stack/providers/simulator/prng';
import { UsageError, type CliIo } from '../command';
import { parseIntOption } from '../option-parsers';

export const CHAOS_PROXY_USAGE = `bulkhead chaos proxy --upstream HOST:PORT [--listen [HOST:]PORT] [--toxic SPEC ...]
                           [--name NAME] [--seed N] [--json]

A TCP fault proxy with Toxiproxy's toxics. Point a client at the --listen address instead of the real
server (PostgreSQL, the provider simulator, anything over TCP) and add faults while traffic flows.
Runs until Ctrl+C; closes every connection on the way out.

Options:
  --upstream HOST:PORT   where to forward, e.g. 127.0.0.1:5432 (required)
  --listen [HOST:]PORT   where to accept (default 127.0.0.1:0 = any free port; the port is printed)
  --toxic SPEC           start with this toxic; repeatable. SPEC is
                         ${TOXIC_SPEC_HELP.split('\n').join('\n                         ')}
  --name NAME            a name for the proxy in messages (default proxy)
  --seed N               seed the toxicity rolls and jitter, for repeatable chaos (default: random)
  --json                 print the listen address and toxics as one JSON line; status as JSON
  -h, --help             show this help

${PROXY_CONSOLE_HELP}

Example: put 200 ms ± 50 ms on every PostgreSQL reply, and blackhole a fifth of the connections
  bulkhead chaos proxy --upstream 127.0.0.1:5432 --listen 6432 --toxic latency=200,jitter=50 \\
      --toxic upstream:timeout=0,toxicity=0.2,name=blackhole
  psql "postgres://user@127.0.0.1:6432/db"`;

export async function runChaosProxy(values: Record<string, unknown>, io: CliIo): Promise<number> {
  if (typeof values.upstream !== 'string') throw new UsageError('--upstream HOST:PORT is required (the server the proxy forwards to).');
  const upstream = parseAddress('upstream', values.upstream);
  if (upstream.port === 0) throw new UsageError('--upstream needs a real port, e.g. 127.0.0.1:5432.');
  const listen = typeof values.listen === 'string' ? parseListen(values.listen) : { host: '127.0.0.1', port: 0 };
  const seed = parseIntOption('seed', values.seed, { min: 0, max: 4_294_967_295 });
  const name = typeof values.name === 'string' ? values.name : 'proxy';
  const toxics = ((values.toxic as string[] | undefined) ?? []).map((spec) => {
    try {
      return parseToxicSpec(spec);
    } catch (error) {
      throw new UsageError(`--toxic: ${isBulkheadError(error) ? error.message : String(error)} (SPEC: see --toxic below)`);
    }
  });
  const json = values.json === true;

  const random = seed === undefined ? Math.random : createRandom(seed).next;
  const proxy = await FaultProxy.start({ name, upstream, listen, toxics, random, purpose: 'command line' });
  try {
    if (json) {
      io.stdout(`${JSON.stringify({ listen: proxy.address, upstream: `${upstream.host}:${upstream.port}`, toxics: proxy.toxics() })}\n`);
    } else {
      io.stdout(`Fault proxy${typeof values.name === 'string' ? ` ${name}` : ''} on ${proxy.address} → ${upstream.host}:${upstream.port}\n`);
      for (const toxic of proxy.toxics()) io.stdout(`  ${toxic.name}: ${describeToxic(toxic)}\n`);
      io.stderr(`Type "help" for commands (add, remove, down, up, reset, status). Press Ctrl+C to stop.\n`);
    }
    const stopConsole = io.stdin ? startConsole(io.stdin, proxy, io, json) : () => undefined;
    const stopStatus = startStatusLine(proxy, io, json);
    try {
      await new Promise<void>((resolve) => {
        if (io.signal.aborted) resolve();
        io.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } finally {
      stopStatus();
      stopConsole();
    }
  } finally {
    await proxy.stop();
  }
  if (!json) io.stderr(`proxy stopped; ${proxy.snapshot().connections.accepted} connections served\n`);
  return 0;
}

function parseAddress(flag: string, text: string): { host: string; port: number } {
  try {
    return parseHostPort(text, `--${flag}`);
  } catch (error) {
    throw new UsageError(isBulkheadError(error) ? `${error.message} ${error.remedy ?? ''}` : String(error));
  }
}

/** `6432`, `:6432` or `host:6432`. */
function parseListen(text: string): { host: string; port: number } {
  if (/^:?\d+$/.test(text)) {
    const port = parseIntOption('listen', text.replace(':', ''), { min: 0, max: 65535 }) ?? 0;
    return { host: '127.0.0.1', port };
  }
  return parseAddress('listen', text);
}

/** Reads commands typed at the proxy, one per line, and prints the answers. */
function startConsole(input: NodeJS.ReadableStream, proxy: FaultProxy, io: CliIo, json: boolean): () => void {
  const lines = createInterface({ input, terminal: false });
  let queue = Promise.resolve();
  lines.on('line', (line) => {
    // One at a time, in order: "down" must finish before the "up" typed after it.
    queue = queue.then(async () => {
      if (json && line.trim() === 'status') {
        io.stdout(`${JSON.stringify(proxy.snapshot())}\n`);
        return;
      }
      const answer = await runProxyConsoleLine(proxy, line);
      if (answer) io.stdout(`${answer}\n`);
    });
  });
  return () => {
    lines.close();
    (input as NodeJS.ReadableStream & { pause?: () => void }).pause?.();
  };
}

/** Every 5 s while traffic flows, one line of counts on stderr. */
function startStatusLine(proxy: FaultProxy, io: CliIo, json: boolean): () => void {
  if (json) return () => undefined;
  let lastBytes = -1;
  const timer = setInterval(() => {
    const s = proxy.snapshot();
    const bytes = s.bytes.upstream.forwarded + s.bytes.downstream.forwarded;
    if (bytes === lastBytes) return;
    lastBytes = bytes;
    io.stderr(`${formatProxyStatus(proxy).split('\n').slice(0, 3).join(' |')}\n`);
  }, 5000);
  timer.unref();
  return () => clearInterval(timer);
}
