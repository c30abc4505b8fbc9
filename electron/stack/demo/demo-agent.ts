import { sleep, type Clock } from '../clock/clock';
import type { ProviderClient } from '../providers/provider-client';
import type { ProviderName } from '../providers/provider-types';
import type { SlidingWindowCounter } from '../ratelimit/sliding-window-counter';
import type { SlidingWindowLog } from '../ratelimit/sliding-window-log';
import type { TokenBucket } from '../ratelimit/token-bucket';
import type { Semaphore } from '../concurrency/semaphore';
import type { WorkerPool } from '../concurrency/worker-pool/worker-pool';

/**
 * The slice of the RAG database pool the demo uses, typed by shape so this folder imports nothing from
 * db/: queries go through the real pool, so the Pool page shows real leases, waits and a long holder.
 */
export interface DemoPool {
  readonly settings: { readonly max: number; readonly leakThresholdMs: number };
  withClient<T>(label: string, fn: (lease: { query(text: string, values?: unknown[]): Promise<unknown> }) => Promise<T>, options?: { signal?: AbortSignal }): Promise<T>;
}

export interface DemoPrimitives {
  readonly agents: Semaphore;
  readonly dbSlots: Semaphore;
  readonly cpu: WorkerPool;
  readonly embeddings: TokenBucket;
  readonly ingestWindow: SlidingWindowLog;
  readonly apiWindow: SlidingWindowCounter;
  readonly clients: Record<ProviderName, ProviderClient>;
  /** Ungoverned client standing in for another process on the same quota. */
  readonly rogue: ProviderClient;
  /** The RAG pool when the database is ready; the demo then queries it for real (else it only waits). */
  readonly pool: () => DemoPool | null;
  readonly clock: Clock;
}

/** Arrival pattern: a steady trickle plus a burst now and then, so queues form and drain. */
export const DEMO_PLAN = {
  arrivalEveryMs: 200,
  burstEverySec: 12,
  burstSize: 40,
  rogueFirstAfterSec: 4,
  rogueEverySec: 15,
  /** Calls per burst and their max_tokens: together a whole minute of the OpenAI token limit. */
  rogueBurst: 4,
  rogueMaxTokens: 30_000,
  /** After the burst the other process keeps spending what refills, so governed calls meet 429s for a while. */
  rogueTrickleMs: 4_000,
  rogueTrickleEveryMs: 100,
  rogueTrickleMaxTokens: 600,
  /** Reports that each take a database client: more at once than the pool holds, so callers wait. */
  dbBurstEverySec: 10,
  dbBurstFirstAfterSec: 3,
  dbBurstOverPoolMax: 8,
  /** One caller holds its client past the leak threshold once, so the Pool page lists a long holder. */
  longHoldAfterSec: 8,
} as const;

const MODELS: Record<ProviderName, string> = { openai: 'gpt-4o-mini', anthropic: 'claude-haiku-4-5' };

/**
 * One simulated agent request, shaped like the real rag-answer workflow: agent permit → database slot
 * (weighted: some queries need two connections) → embedding tokens → provider call through the governed
 * client → CPU post-processing in the worker pool. Every 29th agent dawdles while holding its permit, so
 * the long-holder list has something to show. Each step has a timeout, so timeouts show up too.
 */
export async function runDemoAgent(p: DemoPrimitives, id: number, signal: AbortSignal): Promise<void> {
  const label = `demo-agent#${id}`;
  const jitter = ((id * 7919) % 100) / 100;
  await p.agents.withPermit(
    async () => {
      await p.apiWindow.wait(1, { signal, timeoutMs: 3000 });
      if (id % 4 === 0) await p.ingestWindow.wait(1, { signal, timeoutMs: 1500 });
      const db = await p.dbSlots.acquire({ weight: id % 5 === 0 ? 2 : 1, label, signal, timeoutMs: 2500 });
      try {
        const pool = p.pool();
        const ms = 15 + jitter * 70;
        if (pool) await pool.withClient(label, (lease) => lease.query('SELECT pg_sleep($1)', [ms / 1000]), { signal });
        else await sleep(p.clock, ms, signal);
      } finally {
        db.release();
      }
      await p.embeddings.wait(4 + Math.round(jitter * 12), { signal, timeoutMs: 3000 });
      const provider: ProviderName = id % 2 === 0 ? 'openai' : 'anthropic';
      await p.clients[provider].chat(
        {
          model: MODELS[provider],
          messages: [{ role: 'user', content: `Demo question ${id}: ${'context '.repeat(40 + Math.round(jitter * 160))}` }],
          maxTokens: 120,
        },
        { signal },
      );
      await p.cpu.run('digest', { rounds: 1500 + Math.round(jitter * 3000), bytes: 64 }, { signal, timeoutMs: 5000, label });
      if (id % 29 === 0) await sleep(p.clock, 4000, signal);
    },
    { label, signal, timeoutMs: 6000 },
  );
}

/**
 * The "other process": a few ungoverned calls with a huge max_tokens, which OpenAI charges up front, so
 * they empty the shared token bucket at once; then, for a few seconds, it keeps spending whatever refills.
 * Governed calls sent on the budget their limiter last learned meet 429 "try again in …", the limiter
 * pauses everyone for exactly that long, the retry loop retries — until the other process goes quiet.
 */
export async function runRogueEpisode(p: DemoPrimitives, signal: AbortSignal): Promise<void> {
  const calls: Promise<unknown>[] = [];
  const call = (maxTokens: number): void => {
    calls.push(p.rogue.chat({ model: MODELS.openai, messages: [{ role: 'user', content: 'ping' }], maxTokens }, { signal }).catch(() => undefined));
  };
  for (let i = 0; i < DEMO_PLAN.rogueBurst; i++) call(DEMO_PLAN.rogueMaxTokens);
  const until = p.clock.now() + DEMO_PLAN.rogueTrickleMs;
  while (!signal.aborted && p.clock.now() < until) {
    call(DEMO_PLAN.rogueTrickleMaxTokens);
    await sleep(p.clock, DEMO_PLAN.rogueTrickleEveryMs, signal).catch(() => undefined);
  }
  await Promise.all(calls);
}

/** A burst of reports, each holding a pool client for a moment: more than the pool's max, so the rest wait. */
export async function runDbBurst(p: DemoPrimitives, burst: number, signal: AbortSignal): Promise<void> {
  const pool = p.pool();
  if (!pool) return;
  const size = pool.settings.max + DEMO_PLAN.dbBurstOverPoolMax;
  const reports = Array.from({ length: size }, (_, i) =>
    pool.withClient(`demo.report#${burst}.${i}`, (lease) => lease.query('SELECT pg_sleep($1)', [0.3 + ((i * 37) % 60) / 100]), { signal }).catch(() => undefined),
  );
  await Promise.all(reports);
}

/**
 * A caller that keeps its client past the leak threshold (in half-second queries, so a stop ends it
 * quickly): the Pool page lists it under "held too long" with the stack that took it.
 */
export async function runLongHolder(p: DemoPrimitives, signal: AbortSignal): Promise<void> {
  const pool = p.pool();
  if (!pool) return;
  const holdMs = pool.settings.leakThresholdMs + 4_000;
  // Only where the threshold is short enough to show within a demo minute.
  if (holdMs > 30_000) return;
  await pool
    .withClient(
      'demo.slow-export (holds its client past the leak threshold on purpose)',
      async (lease) => {
        const until = p.clock.now() + holdMs;
        while (!signal.aborted && p.clock.now() < until) await lease.query('SELECT pg_sleep(0.5)');
      },
      { signal },
    )
    .catch(() => undefined);
}
