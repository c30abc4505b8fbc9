import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/manual-clock';
import { createProviderGovernance } from '../ratelimit/provider-governance';
import { BoundApiKey } from './bound-api-key';
import { createProviderClient } from './provider-client';
import type { ChatRequest, ProviderName } from './provider-types';
import { startLimitServer, type LimitServerStats, type LimitSettings } from './testing/limit-server/limit-server';

/**
 * The governed client (ProviderLimiter learning limits from headers, as a CLI run against a real
 * provider does, plus the one RetryLoop) kept busy by more callers than the provider admits, against the
 * independent limit server in both enforcement shapes: buckets holding the whole minute, and "quantized"
 * buckets holding only 5 seconds of the same per-minute rates. The server counts what it admitted against
 * what a perfect client could have had; the assertions are on those ratios.
 *
 * One ManualClock drives the server's buckets, the limiter and the retry sleeps, advanced only while no
 * HTTP call is in flight, so the figures depend on the algorithms and not on this machine's load.
 */
const STEP_MS = 100;
const CALLERS = 24;

// The stress workload's shape: a ~1,900-character RAG prompt (about 480 tokens) and max_tokens 96.
const SOURCES = Array.from({ length: 12 }, (_, i) => `[${i + 1}] Runbook section ${i + 1}: connection pools bound the sessions each agent may hold open at once.`).join('\n');
const QUESTION = 'Why does the agent stack bound its provider calls and database sessions?';

const ANTHROPIC: LimitSettings = { requestsPerMinute: 1200, inputTokensPerMinute: 200_000, outputTokensPerMinute: 40_000, windowSeconds: 60 };
const OPENAI: LimitSettings = { requestsPerMinute: 1200, tokensPerMinute: 200_000, windowSeconds: 60 };

interface Phase {
  atMs: number;
  settings: LimitSettings;
}

describe('governed client against an independent limit server (full-minute and quantized buckets)', () => {
  const cleanups: (() => Promise<unknown> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function run(provider: ProviderName, settings: LimitSettings, durationMs: number, changes: Phase[] = []): Promise<LimitServerStats> {
    const clock = new ManualClock(1_800_000_000_000);
    const start = clock.now();
    const server = await startLimitServer({ provider, ...settings, now: () => clock.now() });
    cleanups.push(() => server.stop());
    let seed = 11;
    const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const governance = createProviderGovernance({ provider, limits: null, clock, name: `limits.${provider}`, retry: { random, maxAttempts: 6 }, limiter: { random } });
    cleanups.push(() => governance.close());
    const client = createProviderClient({
      provider,
      apiKey: BoundApiKey.explicit(provider, 'sk-limit-test-0123456789abcdef', server.url),
      clock,
      pool: { connections: 8 },
      governor: governance.governor,
      retry: governance.retry,
    });
    cleanups.push(() => client.close({ destroy: true }));

    const request: ChatRequest = {
      model: provider === 'openai' ? 'gpt-4o-mini' : 'claude-haiku-4-5',
      maxTokens: 96,
      messages: [
        { role: 'system', content: 'Answer from the numbered sources only, briefly, citing them as [n].' },
        { role: 'user', content: `Sources:\n${SOURCES}\n${SOURCES}\n\nQuestion: ${QUESTION}` },
      ],
    };
    const end = start + durationMs;
    let running = 0;
    const caller = async (): Promise<void> => {
      running += 1;
      try {
        while (clock.now() < end) await client.chat(request).catch(() => undefined);
      } finally {
        running -= 1;
      }
    };
    const callers = Array.from({ length: CALLERS }, caller);
    const quiet = async (): Promise<void> => {
      let calm = 0;
      while (calm < 3) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        const pool = client.snapshot().pool;
        calm = pool.running + pool.pending === 0 && server.inFlight() === 0 ? calm + 1 : 0;
      }
    };
    const pending = [...changes];
    for (let turns = 0; running > 0; turns++) {
      if (turns > (durationMs / STEP_MS) * 3) throw new Error(`stuck: ${running} callers still running`);
      await quiet();
      while (pending.length > 0 && clock.now() - start >= pending[0]!.atMs) server.setLimits(pending.shift()!.settings);
      await clock.advanceAsync(STEP_MS);
    }
    await Promise.all(callers);
    return server.stats();
  }

  const cases: { provider: ProviderName; limits: LimitSettings; shape: string; windowSeconds: number }[] = [
    { provider: 'anthropic', limits: ANTHROPIC, shape: 'quantized (5 s buckets)', windowSeconds: 5 },
    { provider: 'anthropic', limits: ANTHROPIC, shape: 'full-minute buckets', windowSeconds: 60 },
    { provider: 'openai', limits: OPENAI, shape: 'quantized (5 s buckets)', windowSeconds: 5 },
    { provider: 'openai', limits: OPENAI, shape: 'full-minute buckets', windowSeconds: 60 },
  ];
  for (const { provider, limits, shape, windowSeconds } of cases) {
    it(`${provider}, ${shape}: uses ≥ 97 % of what the server admits with ≤ 1 % of requests answered 429`, async () => {
      const stats = await run(provider, { ...limits, windowSeconds }, 60_000);
      expect(stats.admitted).toBeGreaterThan(300);
      expect(stats.capacityUsed, JSON.stringify(stats)).toBeGreaterThanOrEqual(0.97);
      expect(stats.share429, JSON.stringify(stats)).toBeLessThanOrEqual(0.01);
    });
  }

  it('follows limits that change mid-run (halved at 20 s, raised to 1.5× at 40 s), quantized, both providers', async () => {
    for (const [provider, limits] of [['anthropic', ANTHROPIC], ['openai', OPENAI]] as const) {
      const base: LimitSettings = { ...limits, windowSeconds: 5 };
      const scaled = (factor: number): LimitSettings => ({
        windowSeconds: 5,
        requestsPerMinute: base.requestsPerMinute * factor,
        ...(base.tokensPerMinute ? { tokensPerMinute: base.tokensPerMinute * factor } : {}),
        ...(base.inputTokensPerMinute ? { inputTokensPerMinute: base.inputTokensPerMinute * factor } : {}),
        ...(base.outputTokensPerMinute ? { outputTokensPerMinute: base.outputTokensPerMinute * factor } : {}),
      });
      const stats = await run(provider, base, 60_000, [
        { atMs: 20_000, settings: scaled(0.5) },
        { atMs: 40_000, settings: scaled(1.5) },
      ]);
      expect(stats.capacityUsed, `${provider}: ${JSON.stringify(stats)}`).toBeGreaterThanOrEqual(0.97);
      expect(stats.share429, `${provider}: ${JSON.stringify(stats)}`).toBeLessThanOrEqual(0.01);
    }
  });
});
