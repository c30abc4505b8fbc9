import { describe, expect, it } from 'vitest';
import { AlertRulesSchema, type MetricReading } from '../../../shared/contract/alerts';
import type { LimiterSnapshot } from '../../../shared/contract/concurrency';
import { ManualClock } from '../clock/manual-clock';
import { ConcurrencyRegistry } from '../concurrency/concurrency-registry';
import { Semaphore } from '../concurrency/semaphore';
import { AlertEngine } from './alert-engine';
import { ConcurrencyMetrics } from './concurrency-metrics';

const byName = (readings: readonly MetricReading[]) => new Map(readings.map((r) => [r.name, r]));

describe('concurrency metrics', () => {
  it('reports a real semaphore with waiters and no progress as stalled, and the default rule fires after 10 s', async () => {
    const clock = new ManualClock();
    const registry = new ConcurrencyRegistry(clock);
    const semaphore = new Semaphore({ name: 'agent llm', permits: 2, clock });
    registry.register(semaphore);
    const metrics = new ConcurrencyMetrics();
    const engine = new AlertEngine(
      AlertRulesSchema.parse([{ id: 'semaphore-stalled', name: 'Semaphore stalled', kind: 'threshold', metric: 'semaphore.*.stalled', op: '>', threshold: 0, forSec: 10 }]),
    );
    const step = () => {
      clock.advance(250);
      metrics.update(registry.snapshot());
      return engine.evaluate(clock.now(), byName(metrics.read()));
    };

    const held = [await semaphore.acquire(), await semaphore.acquire()];
    const waiter = semaphore.acquire({ label: 'queued' });
    step();
    expect(byName(metrics.read()).get('semaphore.agent_llm.waiting')?.value).toBe(1);
    const fired = [];
    for (let i = 0; i < 41; i++) fired.push(...step());
    expect(byName(metrics.read()).get('semaphore.agent_llm.stalled')?.value).toBe(1);
    expect(fired).toMatchObject([{ kind: 'fired', alert: { metric: 'semaphore.agent_llm.stalled' } }]);

    held[0]!.release(); // progress: the waiter gets its permit
    (await waiter).release();
    step();
    expect(byName(metrics.read()).get('semaphore.agent_llm.stalled')?.value).toBe(0);
    const cleared = [];
    for (let i = 0; i < 25; i++) cleared.push(...step());
    expect(cleared).toMatchObject([{ kind: 'cleared' }]);
    held[1]!.release();
  });

  it('does not call a busy semaphore stalled while permits keep being granted', async () => {
    const clock = new ManualClock();
    const registry = new ConcurrencyRegistry(clock);
    const semaphore = new Semaphore({ name: 's', permits: 1, clock });
    registry.register(semaphore);
    const metrics = new ConcurrencyMetrics();
    let permit = await semaphore.acquire();
    for (let i = 0; i < 20; i++) {
      const next = semaphore.acquire(); // always one waiter
      clock.advance(250);
      metrics.update(registry.snapshot());
      expect(byName(metrics.read()).get('semaphore.s.stalled')?.value).toBe(0);
      permit.release();
      permit = await next;
    }
    permit.release();
  });

  it('computes the 429 share over the last minute, per limiter and for the provider', () => {
    const metrics = new ConcurrencyMetrics();
    const limiter = (t: number, admitted: number, http429: number): LimiterSnapshot =>
      ({ name: 'openai gpt', kind: 'openai', admitted, http429 } as unknown as LimiterSnapshot);
    const snap = (t: number, admitted: number, http429: number) => ({ t, semaphores: [], workerPools: [], limiters: [limiter(t, admitted, http429)], demo: { running: false, startedAt: null, endsAt: null } });
    metrics.update(snap(0, 1000, 50)); // history before the window is forgotten
    metrics.update(snap(61_000, 1000, 50));
    metrics.update(snap(90_000, 1200, 53));
    metrics.update(snap(121_000, 1400, 56));
    const readings = byName(metrics.read());
    expect(readings.get('limiter.openai_gpt.http429Rate')?.value).toBeCloseTo((6 / 400) * 100, 10);
    expect(readings.get('provider.http429Rate')?.value).toBeCloseTo(1.5, 10);
  });
});
