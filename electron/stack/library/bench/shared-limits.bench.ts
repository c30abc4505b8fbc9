/**
 * Four processes that together offer twice a provider's capacity, on per-process limits and on limits
 * shared through Redis: what share of the requests sent were refused with 429, and what share of the
 * provider's capacity was used. Run: npx tsx electron/stack/library/bench/shared-limits.bench.ts
 * [durationSeconds=60] [rpm=300]. Starts the simulator in this process and its own redis-server
 * (/usr/bin/redis-server, a free loopback port) unless BULKHEAD_REDIS_URL is set.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startSimulator } from '../../providers/simulator/simulator';
import { startRedisTestServer } from '../../testing/redis-test-server';

const run = promisify(execFile);
const PROCESSES = 4;
const durationS = Number(process.argv[2] ?? 60);
const rpm = Number(process.argv[3] ?? 300);
// The simulator's bucket holds one minute of the rate and starts full: capacity = burst + refill.
const capacity = rpm + (rpm / 60) * durationS;
const ratePerProcess = (2 * capacity) / durationS / PROCESSES;

const sim = await startSimulator({ seed: 11, settings: { openai: { rpm, tpm: 10_000_000 } } });
const redis = process.env.BULKHEAD_REDIS_URL ? null : await startRedisTestServer();
const redisUrl = process.env.BULKHEAD_REDIS_URL ?? redis!.url;
const worker = fileURLToPath(new URL('./shared-limits-worker.ts', import.meta.url));

interface WorkerCounts {
  arrivals: number;
  ok: number;
  failed: number;
  cancelled: number;
  attempts: number;
  http429: number;
  retries: number;
}

const rows: string[] = [];
try {
  for (const mode of ['memory', 'redis'] as const) {
    sim.control.reset();
    const env = { ...process.env, SIM_URL: sim.url, MODE: mode, REDIS_URL: redisUrl, RATE_PER_SEC: String(ratePerProcess), DURATION_MS: String(durationS * 1000) };
    const outputs = await Promise.all(
      Array.from({ length: PROCESSES }, () => run(process.execPath, ['--import', 'tsx', worker], { env, maxBuffer: 1024 * 1024 })),
    );
    const workers = outputs.map((output) => JSON.parse(output.stdout.trim().split('\n').pop()!) as WorkerCounts);
    const counters = sim.snapshot().counters;
    const sent = counters.requests;
    const ok = counters.byStatus['200'] ?? 0;
    const offered = workers.reduce((sum, w) => sum + w.arrivals, 0);
    rows.push(
      `| ${mode === 'redis' ? 'shared through Redis' : 'per process (memory)'} | ${offered} | ${sent} | ${counters.rateLimited} | ${((100 * counters.rateLimited) / Math.max(1, sent)).toFixed(2)} % | ${ok} | ${((100 * ok) / capacity).toFixed(1)} % |`,
    );
    process.stderr.write(`${mode}: ${JSON.stringify(workers)}\n`);
  }
} finally {
  await sim.stop();
  await redis?.stop();
}
process.stdout.write(
  [
    `${PROCESSES} processes × ${ratePerProcess.toFixed(2)} requests/s for ${durationS} s against a provider allowing ${rpm} RPM (capacity in the window: ${capacity} requests)`,
    '',
    '| limits | offered | sent | 429s | 429s / sent | answered 200 | capacity used |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n'),
);
