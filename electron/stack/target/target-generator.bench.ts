/**
 * HTTP target generator benchmark (not a test): a local no-op HTTP server in one process, then our
 * generator (the stress runner + HTTP target workload) and autocannon, each in its own process, each at
 * the same rate and connection count against the same server, one after the other in the same run.
 * Prints achieved rate, dropped arrivals, the server's own count, CPU per request of each generator
 * (ours ÷ autocannon's), and our heap/RSS at the start and end of the run (memory flat with length).
 *   npx tsx electron/stack/target/target-generator.bench.ts [rate=5000] [seconds=30] [connections=64] [rounds=1]
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const rate = Number(process.argv[2] ?? 5000);
const seconds = Number(process.argv[3] ?? 30);
const connections = Number(process.argv[4] ?? 64);
const rounds = Number(process.argv[5] ?? 1);
const here = (name: string): string => fileURLToPath(new URL(`./bench/${name}`, import.meta.url));

function start(script: string, args: string[]): { child: ChildProcessByStdio<Writable, Readable, null>; next: () => Promise<Record<string, unknown>> } {
  const child = spawn(process.execPath, ['--import', 'tsx', here(script), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const wake = waiting.shift();
    if (wake) wake(line);
    else lines.push(line);
  });
  const next = (): Promise<Record<string, unknown>> =>
    new Promise((resolve) => {
      const take = (line: string): void => resolve(JSON.parse(line) as Record<string, unknown>);
      const ready = lines.shift();
      if (ready !== undefined) take(ready);
      else waiting.push(take);
    });
  return { child, next };
}

/** Runs one generator: its warm-up, then (counting at the server from here) the measured run. */
async function runChild(script: string, url: string, serverCount: () => Promise<number>): Promise<{ result: Record<string, unknown>; received: number }> {
  const { child, next } = start(script, [url, String(rate), String(seconds), String(connections)]);
  await next(); // {"warm": true}
  const before = await serverCount();
  child.stdin.write('go\n');
  const result = await next();
  const received = (await serverCount()) - before;
  child.kill();
  return { result, received };
}

const server = start('noop-server.ts', []);
const { port } = (await server.next()) as { port: number };
const url = `http://127.0.0.1:${port}/`;
const serverCount = async (): Promise<number> => {
  server.child.stdin.write('count\n');
  return Number((await server.next()).count);
};

const rows: Array<Record<string, unknown>> = [];
for (let round = 1; round <= rounds; round++) {
  for (const [name, script] of [
    ['bulkhead', 'generator-child.ts'],
    ['autocannon', 'autocannon-child.ts'],
  ] as const) {
    const { result, received } = await runChild(script, url, serverCount);
    const perRequestUs = Math.round(((result.cpu_ms as number) * 1000) / Math.max(1, received));
    rows.push({ round, generator: name, server_received: received, cpu_us_per_request: perRequestUs, ...result });
  }
}
server.child.stdin.end();
server.child.kill();

for (const row of rows) {
  const { heap_mb: heap, rss_mb: rss, ...rest } = row as { heap_mb?: number[]; rss_mb?: number[] } & Record<string, unknown>;
  const memory = heap && rss ? { heap_mb_at_5s: heap[4], heap_mb_at_end: heap[heap.length - 1], rss_mb_at_5s: rss[4], rss_mb_at_end: rss[rss.length - 1] } : {};
  console.log(JSON.stringify({ ...rest, ...memory }));
}
const ours = rows.filter((r) => r.generator === 'bulkhead').map((r) => r.cpu_us_per_request as number);
const peer = rows.filter((r) => r.generator === 'autocannon').map((r) => r.cpu_us_per_request as number);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `target ${rate}/s for ${seconds} s over ${connections} connections: CPU per request bulkhead ${median(ours)} µs, autocannon ${median(peer)} µs (ratio ours/peer ${(median(ours) / median(peer)).toFixed(2)})`,
);
