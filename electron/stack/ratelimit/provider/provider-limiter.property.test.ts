import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/manual-clock';
import { flushMicrotasks, randomInt, seededRandom } from '../../concurrency/testing/seeded-random';
import { ProviderLimiter } from './provider-limiter';
import type { Reservation } from './reservation';

interface Admission {
  t: number;
  requests: number;
  tokens: number;
}

/**
 * Random schedules against an OpenAI-style limiter: reservations of random size (some aborted, some
 * timing out), settled by reconcile (usage at most the reservation) or fail, and random time steps.
 * Requests are never refunded once sent, so in every span of time the limiter may have admitted at most
 * capacity + rate × span requests; tokens likewise, counting what each call finally used.
 */
async function run(seed: number, operations: number): Promise<string[]> {
  const random = seededRandom(seed);
  const clock = new ManualClock(0);
  const rpm = randomInt(random, 6, 120);
  const tpm = randomInt(random, 2_000, 40_000);
  const limiter = new ProviderLimiter({ name: `prop-${seed}`, provider: 'openai', clock, limits: { requestsPerMinute: rpm, tokensPerMinute: tpm } });
  const admissions: Admission[] = [];
  const held: Array<{ reservation: Reservation; admission: Admission }> = [];
  for (let step = 0; step < operations; step++) {
    const roll = random();
    if (roll < 0.35 && limiter.queued < 30) {
      const maxOutputTokens = randomInt(random, 1, Math.floor(tpm / 4));
      const estimatedInputTokens = randomInt(random, 1, Math.floor(tpm / 4));
      const controller = new AbortController();
      if (random() < 0.1) setTimeout(() => controller.abort(), 0);
      const timeoutMs = random() < 0.1 ? randomInt(random, 1, 5000) : 0;
      limiter.reserve({ estimatedInputTokens, maxOutputTokens, signal: controller.signal, timeoutMs }).then(
        (reservation) => {
          const admission = { t: clock.now(), requests: 1, tokens: Math.max(estimatedInputTokens, maxOutputTokens) };
          admissions.push(admission);
          held.push({ reservation, admission });
        },
        () => undefined,
      );
    } else if (roll < 0.6 && held.length > 0) {
      const { reservation, admission } = held.splice(randomInt(random, 0, held.length - 1), 1)[0]!;
      if (random() < 0.8) {
        // The call used at most what was reserved; what it used is what counts against the limit.
        const inputTokens = randomInt(random, 0, Math.floor(admission.tokens / 2));
        const outputTokens = randomInt(random, 0, admission.tokens - inputTokens);
        admission.tokens = inputTokens + outputTokens;
        reservation.reconcile({ inputTokens, outputTokens, cacheReadTokens: 0, cacheCreationTokens: 0 });
      } else {
        reservation.fail();
      }
    } else {
      await clock.advanceAsync(randomInt(random, 0, 400));
    }
    await flushMicrotasks(6);
  }
  limiter.close();
  const problems: string[] = [];
  const check = (name: 'requests' | 'tokens', capacity: number): void => {
    const ratePerMs = capacity / 60_000;
    // Reconciled usage is known only when settled; an admission counts its final (or reserved) size.
    let prefix = 0;
    let lowest = Number.POSITIVE_INFINITY;
    for (const admission of admissions) {
      lowest = Math.min(lowest, prefix - ratePerMs * admission.t);
      prefix += admission[name];
      const excess = prefix - ratePerMs * admission.t - lowest - capacity;
      if (excess > 1e-6) {
        problems.push(`seed ${seed}: ${name} over the limit by ${excess.toFixed(2)} at t=${admission.t}`);
        return;
      }
    }
  };
  check('requests', rpm);
  check('tokens', tpm);
  if (admissions.length === 0) problems.push(`seed ${seed}: nothing admitted`);
  return problems;
}

describe('ProviderLimiter under random schedules', () => {
  it('never lets requests or used tokens exceed capacity + rate × span (≥100,000 operations)', async () => {
    const problems: string[] = [];
    let operations = 0;
    for (let seed = 1; seed <= 20; seed++) {
      problems.push(...(await run(seed, 5_000)));
      operations += 5_000;
    }
    expect(problems).toEqual([]);
    expect(operations).toBeGreaterThanOrEqual(100_000);
  });
});
