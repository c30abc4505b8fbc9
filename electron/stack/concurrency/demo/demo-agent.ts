import { sleep, type Clock } from '../../clock/clock';
import type { ProviderClient } from '../../providers/provider-client';
import type { ProviderName } from '../../providers/provider-types';
import type { SlidingWindowCounter } from '../../ratelimit/sliding-window-counter';
import type { SlidingWindowLog } from '../../ratelimit/sliding-window-log';
import type { TokenBucket } from '../../ratelimit/token-bucket';
import type { Semaphore } from '../semaphore';
import type { WorkerPool } from '../worker-pool/worker-pool';

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
        await sleep(p.clock, 15 + jitter * 70, signal);
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
 * they empty the shared token bucket at once; governed calls then meet 429 "try again in …" until the
 * bucket refills (a second or so), and the limiter pauses everyone for exactly that long.
 */
export async function runRogueBurst(p: DemoPrimitives, signal: AbortSignal): Promise<void> {
  const calls: Promise<unknown>[] = [];
  for (let i = 0; i < DEMO_PLAN.rogueBurst; i++) {
    calls.push(p.rogue.chat({ model: MODELS.openai, messages: [{ role: 'user', content: 'ping' }], maxTokens: DEMO_PLAN.rogueMaxTokens }, { signal }).catch(() => undefined));
  }
  await Promise.all(calls);
}
