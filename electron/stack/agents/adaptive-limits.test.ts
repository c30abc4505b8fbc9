import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/manual-clock';
import type { CallOutcome, CallPermit, ProviderGovernor } from '../providers/call-pipeline';
import { ProviderError, type ProviderErrorKind } from '../providers/provider-error';
import { adaptiveGovernor, createAdaptiveLimits } from './adaptive-limits';

function providerError(kind: ProviderErrorKind, status: number | null): ProviderError {
  return new ProviderError(
    { provider: 'openai', kind, status, providerType: null, providerCode: null, retryable: true, retryAfterMs: undefined, providerWide: false, headers: {}, requestId: null, midStream: false },
    kind,
  );
}

/** A rate limiter that admits at once and records what it was told. */
function recordingLimiter(): { governor: ProviderGovernor; settled: CallOutcome[] } {
  const settled: CallOutcome[] = [];
  return { settled, governor: { acquire: () => Promise.resolve<CallPermit>({ settle: (outcome) => settled.push(outcome) }) } };
}

const estimate = { inputTokens: 10, outputTokens: 10 } as unknown as Parameters<ProviderGovernor['acquire']>[0];

describe('adaptive mode: provider calls on an adaptive limit', () => {
  it('a 429 or a 503 lowers the provider limit, a bad request does not, and the rate limiter hears every outcome', async () => {
    const clock = new ManualClock();
    const limits = createAdaptiveLimits(clock);
    const limiter = recordingLimiter();
    const governor = adaptiveGovernor('openai', limiter.governor, limits.provider);
    const start = limits.provider.permits;
    (await governor.acquire(estimate, undefined)).settle({ ok: false, error: providerError('rate_limited', 429) });
    const afterRateLimit = limits.provider.permits;
    expect(afterRateLimit).toBeLessThan(start === 1 ? 2 : start);
    clock.advance(10);
    (await governor.acquire(estimate, undefined)).settle({ ok: false, error: providerError('invalid_request', 400) });
    expect(limits.provider.permits).toBe(afterRateLimit);
    expect(limiter.settled.map((outcome) => (outcome.ok ? 'ok' : outcome.error.kind))).toEqual(['rate_limited', 'invalid_request']);
    expect(limits.provider.inUse).toBe(0);
    expect(limits.current()).toEqual({ provider: limits.provider.permits, retrieval: limits.retrieval.permits });
    limits.close();
  });

  it('a call that cannot get an adaptive permit gives its rate-limiter reservation back as not sent', async () => {
    const clock = new ManualClock();
    const limits = createAdaptiveLimits(clock);
    const limiter = recordingLimiter();
    const governor = adaptiveGovernor('openai', limiter.governor, limits.provider);
    const held = await Promise.all(Array.from({ length: limits.provider.permits }, () => governor.acquire(estimate, undefined)));
    const controller = new AbortController();
    const waiting = governor.acquire(estimate, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'ABORTED' });
    expect(limiter.settled).toEqual([{ ok: false, error: expect.objectContaining({ kind: 'aborted' }) as unknown }]);
    for (const permit of held) permit.settle({ ok: true, status: 200, headers: {}, usage: null });
    expect(limits.provider.inUse).toBe(0);
    limits.close();
  });
});
