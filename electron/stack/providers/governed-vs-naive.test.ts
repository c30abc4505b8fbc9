import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/manual-clock';
import { createProviderGovernance, type GovernanceLimits } from '../ratelimit/provider-governance';
import { naiveRetries, type ProviderGovernor, type RetryPolicy } from './call-pipeline';
import { BoundApiKey } from './bound-api-key';
import { createProviderClient, type ProviderClient } from './provider-client';
import type { ChatRequest, ProviderName } from './provider-types';
import type { SettingsPatch } from './simulator/sim-config';
import { startSimulator, type RunningSimulator } from './simulator/simulator';

/**
 * The governed client (ProviderLimiter as governor + the one RetryLoop) and the ungoverned one (no
 * limiter, naive immediate retries) against the same tight simulator. One ManualClock drives the
 * simulator's buckets, the limiter and the retry sleeps; the test advances it only while no HTTP call is
 * in flight, so the outcome depends on the algorithms, not on this machine's speed.
 */
const CALLS = 150;
const STEP_MS = 250;

interface RunOutcome {
  succeeded: number;
  failed: number;
  /** Clock offsets (ms from start) of every 429 the simulator sent. */
  rateLimitedAt: number[];
  elapsedMs: number;
}

describe('governed vs ungoverned provider calls against a tight simulator', () => {
  const cleanups: (() => Promise<unknown> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function run(options: {
    provider: ProviderName;
    settings: SettingsPatch;
    governance: 'governed' | 'naive';
    limits: GovernanceLimits | null;
    probeFirstCall?: boolean;
  }): Promise<RunOutcome> {
    const clock = new ManualClock(1_800_000_000_000);
    const start = clock.now();
    const sim: RunningSimulator = await startSimulator({ clock, settings: options.settings, adminToken: null });
    cleanups.push(() => sim.stop());
    let governor: ProviderGovernor | undefined;
    let retry: RetryPolicy;
    if (options.governance === 'governed') {
      let seed = 7;
      const random = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
      const governance = createProviderGovernance({ provider: options.provider, limits: options.limits, clock, name: `test.${options.provider}`, retry: { random, maxAttempts: 6 }, limiter: { random, probeFirstCall: options.probeFirstCall ?? true } });
      cleanups.push(() => governance.close());
      governor = governance.governor;
      retry = governance.retry;
    } else {
      retry = naiveRetries(3);
    }
    const rateLimitedAt: number[] = [];
    const client: ProviderClient = createProviderClient({
      provider: options.provider,
      apiKey: BoundApiKey.explicit(options.provider, 'sk-test-governed-0123456789', sim.url),
      clock,
      pool: { connections: 8 },
      governor,
      retry,
      onAttempt: (event) => {
        if (event.status === 429) rateLimitedAt.push(clock.now() - start);
      },
    });
    cleanups.push(() => client.close({ destroy: true }));

    const request: ChatRequest = { model: options.provider === 'openai' ? 'gpt-4o-mini' : 'claude-haiku-4-5', messages: [{ role: 'user', content: 'Summarise the runbook.' }], maxTokens: 64 };
    let settled = 0;
    let succeeded = 0;
    const calls = Array.from({ length: CALLS }, () =>
      client.chat(request).then(
        () => {
          succeeded += 1;
        },
        () => undefined,
      ).finally(() => {
        settled += 1;
      }),
    );
    const quiet = async (): Promise<void> => {
      let calm = 0;
      while (calm < 3) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        const pool = client.snapshot().pool;
        calm = pool.running + pool.pending === 0 && sim.snapshot().counters.inFlight === 0 ? calm + 1 : 0;
      }
    };
    for (let turns = 0; settled < CALLS; turns++) {
      if (turns > 4000) throw new Error(`stuck: ${settled}/${CALLS} settled`);
      await quiet();
      await clock.advanceAsync(STEP_MS);
    }
    await Promise.all(calls);
    return { succeeded, failed: CALLS - succeeded, rateLimitedAt, elapsedMs: clock.now() - start };
  }

  it('OpenAI, limits known: the governed client never hits a 429 and completes every call', async () => {
    const outcome = await run({ provider: 'openai', settings: { openai: { rpm: 60, tpm: 1_000_000 } }, governance: 'governed', limits: { rpm: 60, tpm: 1_000_000 } });
    expect(outcome.failed).toBe(0);
    expect(outcome.rateLimitedAt).toEqual([]);
    // 60 at once from the full bucket, then 1 per second: about 90 s of (manual) time.
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(89_000);
    expect(outcome.elapsedMs).toBeLessThanOrEqual(95_000);
  });

  it('OpenAI, limits unknown: the first call goes alone, its headers pace the rest — no 429 at all', async () => {
    const outcome = await run({ provider: 'openai', settings: { openai: { rpm: 60, tpm: 1_000_000 } }, governance: 'governed', limits: null });
    expect(outcome.failed).toBe(0);
    expect(outcome.rateLimitedAt).toEqual([]);
  });

  // Without the first call going alone, everyone goes at once into limits nobody knows yet. Refused
  // requests count against the provider's RPM, so after that burst the simulator's request bucket is in
  // debt: remaining 0, x-ratelimit-reset-requests 2m0s. The limiter follows the debt the reset implies
  // instead of refilling its own bucket during the pause.
  it('OpenAI, limits unknown, first call not sent alone: 429s only in the first burst, then paced from the headers', async () => {
    const outcome = await run({ provider: 'openai', settings: { openai: { rpm: 60, tpm: 1_000_000 } }, governance: 'governed', limits: null, probeFirstCall: false });
    expect(outcome.failed).toBe(0);
    expect(outcome.rateLimitedAt.length).toBeGreaterThan(0);
    expect(outcome.rateLimitedAt.filter((at) => at >= 1000)).toEqual([]);
  });

  it('OpenAI, ungoverned with naive retries: a 429 storm and failed calls', async () => {
    const outcome = await run({ provider: 'openai', settings: { openai: { rpm: 60, tpm: 1_000_000 } }, governance: 'naive', limits: null });
    // 90 callers beyond the burst, each trying 4 times at once, each refused.
    expect(outcome.rateLimitedAt.length).toBe(360);
    expect(outcome.failed).toBe(90);
  });

  it('Anthropic with the acceleration limit on: the governed client stays (nearly) clear of 429s', async () => {
    const settings: SettingsPatch = { anthropic: { rpm: 60, itpm: 1_000_000, otpm: 1_000_000, acceleration: { floorPerSecond: 20, factor: 2 } } };
    const governed = await run({ provider: 'anthropic', settings, governance: 'governed', limits: { rpm: 60, tpm: 1_000_000, otpm: 1_000_000 } });
    expect(governed.failed).toBe(0);
    const naive = await run({ provider: 'anthropic', settings, governance: 'naive', limits: null });
    expect(naive.failed).toBeGreaterThan(0);
    expect(governed.rateLimitedAt.length).toBeLessThanOrEqual(2);
    expect(naive.rateLimitedAt.length).toBeGreaterThan(100);
  });
});
