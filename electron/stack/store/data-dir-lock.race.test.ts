import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/temp-dir';

const RACERS = 6;
const ROUNDS = 100;
const racerScript = fileURLToPath(new URL('./testing/lock-racer.ts', import.meta.url));
/** Above Linux's pid_max (2^22): no process can have it, so a lock naming it is stale. */
const DEAD_PID = 2 ** 22 + 7;

interface Racer {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves with the next answer line. */
  next(): Promise<{ round: number; result: string }>;
}

function startRacer(): Promise<Racer> {
  const child = spawn(process.execPath, ['--import', 'tsx', racerScript], { stdio: ['pipe', 'pipe', 'pipe'] });
  const queued: string[] = [];
  const waiting: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const waiter = waiting.shift();
    if (waiter) waiter.resolve(line);
    else queued.push(line);
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // One exit listener for the racer's life (not one per line awaited): it fails whoever still waits.
  let exitedWith: Error | null = null;
  child.once('exit', (code) => {
    exitedWith = new Error(`racer exited (${code}): ${stderr}`);
    for (const waiter of waiting.splice(0)) waiter.reject(exitedWith);
  });
  const nextLine = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const line = queued.shift();
      if (line !== undefined) return resolve(line);
      if (exitedWith) return reject(exitedWith);
      waiting.push({ resolve, reject });
    });
  return nextLine().then(() => ({ child, next: async () => JSON.parse(await nextLine()) as { round: number; result: string } }));
}

function send(racer: Racer, message: object): void {
  racer.child.stdin.write(`${JSON.stringify(message)}\n`);
}

describe('data dir lock under a race of real processes', () => {
  const racers: Racer[] = [];
  const base = makeTempDir('bulkhead-lock-race-');

  beforeAll(async () => {
    racers.push(...(await Promise.all(Array.from({ length: RACERS }, () => startRacer()))));
  }, 60_000);

  afterAll(() => {
    for (const racer of racers) racer.child.kill();
    base.remove();
  });

  async function race(withStaleLock: boolean): Promise<Array<{ round: number; holders: number; results: string[] }>> {
    const outcomes: Array<{ round: number; holders: number; results: string[] }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      const dir = join(base.path, `${withStaleLock ? 'stale' : 'fresh'}-${round}`);
      if (withStaleLock) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'bulkhead.lock'), JSON.stringify({ pid: DEAD_PID, hostname: hostname(), startedAt: 1, role: 'crashed' }));
      }
      // The barrier: every racer gets the same start instant, far enough ahead for all to be waiting.
      const at = Date.now() + 40;
      for (const racer of racers) send(racer, { type: 'race', round, dir, at });
      const results = (await Promise.all(racers.map((r) => r.next()))).map((answer) => answer.result);
      outcomes.push({ round, holders: results.filter((r) => r === 'held').length, results });
      for (const racer of racers) send(racer, { type: 'release', round, dir });
      await Promise.all(racers.map((r) => r.next()));
    }
    return outcomes;
  }

  it(`gives the lock to exactly one of ${RACERS} processes starting in the same millisecond, ${ROUNDS} rounds`, async () => {
    const outcomes = await race(false);
    expect(outcomes.filter((o) => o.holders !== 1)).toEqual([]);
    // Everyone else was told who holds it, not a generic failure.
    expect(new Set(outcomes.flatMap((o) => o.results.filter((r) => r !== 'held')))).toEqual(new Set(['DATA_DIR_IN_USE']));
  }, 120_000);

  it(`takes over a stale lock with exactly one winner among ${RACERS} processes, ${ROUNDS} rounds`, async () => {
    const outcomes = await race(true);
    expect(outcomes.filter((o) => o.holders !== 1)).toEqual([]);
  }, 120_000);
});
