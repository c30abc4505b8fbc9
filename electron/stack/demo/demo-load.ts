import { setMaxListeners } from 'node:events';
import { sleep, type Clock } from '../clock/clock';
import type { Logger } from '../log/logger';
import { BoundApiKey } from '../providers/bound-api-key';
import { createProviderClient, type ProviderClient } from '../providers/provider-client';
import type { ProviderName } from '../providers/provider-types';
import { startSimulator, type RunningSimulator } from '../providers/simulator/simulator';
import { createProviderGovernance, type ProviderGovernance } from '../ratelimit/provider-governance';
import { SlidingWindowCounter } from '../ratelimit/sliding-window-counter';
import { SlidingWindowLog } from '../ratelimit/sliding-window-log';
import { TokenBucket } from '../ratelimit/token-bucket';
import type { DemoLoadStatus } from '../../../shared/contract/concurrency';
import type { ConcurrencyRegistry } from '../concurrency/concurrency-registry';
import { Semaphore } from '../concurrency/semaphore';
import { WorkerPool } from '../concurrency/worker-pool/worker-pool';
import { DEMO_PLAN, runDbBurst, runDemoAgent, runLongHolder, runRogueEpisode, type DemoPool, type DemoPrimitives } from './demo-agent';

export interface DemoLoadOptions {
  registry: ConcurrencyRegistry;
  clock: Clock;
  log: Logger;
  /** The RAG pool, when the database is ready (asked each time: it can come and go during a demo). */
  pool?: () => DemoPool | null;
}

interface Running {
  readonly controller: AbortController;
  readonly startedAt: number;
  readonly endsAt: number;
  readonly done: Promise<void>;
}

/**
 * The demo load: clearly named `demo.*` primitives driven by real work for a while, so the Semaphores and
 * Limiters pages show live values before any agent runs (screenshots, first launch). Simulated agents
 * arrive in an open loop with bursts; each takes the `demo.agents` semaphore, a weighted `demo.db-slots`
 * permit, `demo.embeddings` tokens and a sliding-window slot, calls the built-in provider simulator over
 * HTTP through a governed client (limits for OpenAI learned from headers — so the first burst meets real
 * 429s — and configured with ramp-up for Anthropic), then hashes in the `demo.cpu` worker pool. Now and
 * then an ungoverned "other process" spends the same OpenAI quota for a few seconds, so the governed side
 * meets real 429s (pause, retry-after, retries) and 2 % of calls hit a provider-wide overload (529
 * backoff). With the RAG database ready, agents query it through the real pool, bursts of reports ask
 * for more clients than the pool holds (waits), and one caller holds its client past the leak threshold.
 */
export class DemoLoad {
  private running: Running | null = null;

  constructor(private readonly options: DemoLoadOptions) {}

  status(): DemoLoadStatus {
    const running = this.running;
    return running ? { running: true, startedAt: running.startedAt, endsAt: running.endsAt } : { running: false, startedAt: null, endsAt: null };
  }

  /** Starts (or restarts) the demo for `durationSec`; resolves once it runs. */
  async start(durationSec: number): Promise<DemoLoadStatus> {
    await this.stop();
    const controller = new AbortController();
    setMaxListeners(10_000, controller.signal); // every simulated agent listens on the one demo signal
    const startedAt = this.options.clock.now();
    const endsAt = startedAt + durationSec * 1000;
    const setup = await this.setUp(controller.signal);
    const done = this.drive(setup.primitives, endsAt, controller.signal)
      .catch((error: unknown) => this.options.log.warn('demo load failed', error))
      .finally(async () => {
        await setup.tearDown();
        if (this.running?.controller === controller) this.running = null;
      });
    this.running = { controller, startedAt, endsAt, done };
    return this.status();
  }

  async stop(): Promise<DemoLoadStatus> {
    const running = this.running;
    if (running) {
      running.controller.abort(new Error('demo load stopped'));
      await running.done;
      this.running = null;
    }
    return this.status();
  }

  private async setUp(signal: AbortSignal): Promise<{ primitives: DemoPrimitives; tearDown: () => Promise<void> }> {
    const { clock, registry } = this.options;
    const simulator: RunningSimulator = await startSimulator({
      clock,
      signal,
      adminToken: null,
      settings: {
        openai: { rpm: 600, tpm: 120_000 },
        anthropic: { rpm: 300, itpm: 100_000, otpm: 40_000 },
        latency: { baseMs: 60, perTokenMs: 1, jitterMs: 120 },
        output: { minTokens: 20, maxTokens: 120 },
      },
      // 2 % provider-wide overload: Anthropic answers 529 (global backoff), OpenAI 503 (retried).
      faults: [{ kind: 'overload', rate: 0.02 }],
    });
    const governance: Record<ProviderName, ProviderGovernance> = {
      openai: createProviderGovernance({ provider: 'openai', name: 'demo.openai', clock, limits: null, registry, retry: { maxAttempts: 4 } }),
      anthropic: createProviderGovernance({
        provider: 'anthropic',
        name: 'demo.anthropic',
        clock,
        limits: { rpm: 300, tpm: 100_000, otpm: 40_000 },
        registry,
        retry: { maxAttempts: 4 },
        limiter: { rampUp: { idleMs: 20_000, startFraction: 0.25, durationMs: 15_000 } },
      }),
    };
    const clients: Record<ProviderName, ProviderClient> = {
      openai: createProviderClient({ provider: 'openai', apiKey: BoundApiKey.explicit('openai', 'demo', simulator.openaiBaseUrl), direct: true, clock, governor: governance.openai.governor, retry: governance.openai.retry }),
      anthropic: createProviderClient({ provider: 'anthropic', apiKey: BoundApiKey.explicit('anthropic', 'demo', simulator.anthropicBaseUrl), direct: true, clock, governor: governance.anthropic.governor, retry: governance.anthropic.retry }),
    };
    // Another process spending the same OpenAI quota without Bulkhead: its bursts make the provider answer 429.
    const rogue = createProviderClient({ provider: 'openai', apiKey: BoundApiKey.explicit('openai', 'demo-rogue', simulator.openaiBaseUrl), direct: true, clock });
    const primitives: DemoPrimitives = {
      agents: new Semaphore({ name: 'demo.agents', permits: 8, maxWaiting: 400, longHoldThresholdMs: 3000, clock }),
      dbSlots: new Semaphore({ name: 'demo.db-slots', permits: 6, maxWaiting: 400, clock }),
      cpu: new WorkerPool({ name: 'demo.cpu', module: new URL('./demo-tasks.ts', import.meta.url), size: 2, maxQueue: 64, clock }),
      embeddings: new TokenBucket({ name: 'demo.embeddings', capacity: 80, refillPerSec: 80, maxQueued: 400, unit: 'tokens', clock }),
      ingestWindow: new SlidingWindowLog({ name: 'demo.ingest-window', limit: 40, windowMs: 5000, maxQueued: 400, clock }),
      apiWindow: new SlidingWindowCounter({ name: 'demo.api-window', limit: 100, windowMs: 10_000, slices: 10, clock }),
      clients,
      rogue,
      pool: this.options.pool ?? (() => null),
      clock,
    };
    const unregister = [primitives.agents, primitives.dbSlots, primitives.cpu, primitives.embeddings, primitives.ingestWindow, primitives.apiWindow].map((p) =>
      registry.register(p),
    );
    const tearDown = async (): Promise<void> => {
      for (const undo of unregister) undo();
      primitives.agents.close();
      primitives.dbSlots.close();
      primitives.embeddings.close();
      primitives.ingestWindow.close();
      primitives.apiWindow.close();
      governance.openai.close();
      governance.anthropic.close();
      await Promise.allSettled([primitives.cpu.close(), clients.openai.close({ destroy: true }), clients.anthropic.close({ destroy: true }), rogue.close({ destroy: true })]);
      await simulator.stop();
    };
    return { primitives, tearDown };
  }

  /** Open-loop arrivals (they do not wait for each other) until the end or the abort; then waits for the agents. */
  private async drive(primitives: DemoPrimitives, endsAt: number, signal: AbortSignal): Promise<void> {
    const { clock } = this.options;
    const agents = new Set<Promise<void>>();
    let id = 0;
    let lastBurstAt = Number.NEGATIVE_INFINITY;
    let nextRogueAt = clock.now() + DEMO_PLAN.rogueFirstAfterSec * 1000;
    let nextDbBurstAt = clock.now() + DEMO_PLAN.dbBurstFirstAfterSec * 1000;
    let dbBursts = 0;
    const longHoldAt = clock.now() + DEMO_PLAN.longHoldAfterSec * 1000;
    let longHoldStarted = false;
    const track = (work: Promise<void>): void => {
      agents.add(work);
      void work.finally(() => agents.delete(work));
    };
    const launch = (): void => track(runDemoAgent(primitives, (id += 1), signal).catch(() => undefined)); // failures show in the counters
    try {
      while (!signal.aborted && clock.now() < endsAt) {
        launch();
        if (clock.now() - lastBurstAt >= DEMO_PLAN.burstEverySec * 1000) {
          lastBurstAt = clock.now();
          for (let i = 0; i < DEMO_PLAN.burstSize; i++) launch();
        }
        if (clock.now() >= nextRogueAt) {
          nextRogueAt = clock.now() + DEMO_PLAN.rogueEverySec * 1000;
          track(runRogueEpisode(primitives, signal));
        }
        if (clock.now() >= nextDbBurstAt) {
          nextDbBurstAt = clock.now() + DEMO_PLAN.dbBurstEverySec * 1000;
          track(runDbBurst(primitives, (dbBursts += 1), signal));
        }
        if (!longHoldStarted && clock.now() >= longHoldAt) {
          longHoldStarted = true;
          track(runLongHolder(primitives, signal));
        }
        await sleep(clock, DEMO_PLAN.arrivalEveryMs, signal).catch(() => undefined);
      }
    } finally {
      await Promise.allSettled([...agents]);
    }
  }
}
