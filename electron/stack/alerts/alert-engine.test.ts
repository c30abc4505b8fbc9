import { describe, expect, it } from 'vitest';
import { AlertRulesSchema, type AlertRuleInput, type MetricReading } from '../../../shared/contract/alerts';
import { createRandom } from '../providers/simulator/prng';
import { AlertEngine, type EngineTransition } from './alert-engine';
import { DEFAULT_ALERT_RULES } from './default-rules';

const T0 = 1_700_000_000_000;
const rules = (...input: AlertRuleInput[]) => AlertRulesSchema.parse(input);
const readings = (values: Record<string, number>, unit = 'ms'): Map<string, MetricReading> =>
  new Map(Object.entries(values).map(([name, value]) => [name, { name, value, unit, description: '' }]));

const stall = rules({ id: 'stall', name: 'Stall', kind: 'threshold', metric: 'runtime.eventLoopP99Ms', op: '>', threshold: 100, forSec: 10, clearThreshold: 50, clearForSec: 5 });

/** Feeds one value per 250 ms tick; returns the transitions with the tick time they happened at. */
function feed(engine: AlertEngine, start: number, values: number[], metric = 'runtime.eventLoopP99Ms'): Array<EngineTransition & { t: number }> {
  const out: Array<EngineTransition & { t: number }> = [];
  values.forEach((value, i) => {
    const t = start + i * 250;
    for (const transition of engine.evaluate(t, readings({ [metric]: value }))) out.push({ ...transition, t });
  });
  return out;
}

describe('threshold rules', () => {
  it('fire only after the condition held for forSec, at the first tick past it', () => {
    const engine = new AlertEngine(stall);
    const transitions = feed(engine, T0, [...Array(40).fill(150), ...Array(10).fill(150)]);
    expect(transitions).toHaveLength(1);
    expect(transitions[0]).toMatchObject({ kind: 'fired', t: T0 + 10_000, alert: { ruleId: 'stall', metric: 'runtime.eventLoopP99Ms', value: 150 } });
    expect(transitions[0]!.alert.message).toBe('Stall: runtime.eventLoopP99Ms > 100 ms for 10 s (now 150 ms)');
  });

  it('start the duration again when the condition breaks', () => {
    const engine = new AlertEngine(stall);
    const broken = [...Array(39).fill(150), 80, ...Array(39).fill(150)];
    expect(feed(engine, T0, broken)).toEqual([]);
  });

  it('clear only after the value stayed past the clear threshold for clearForSec (hysteresis: no flapping)', () => {
    const engine = new AlertEngine(stall);
    feed(engine, T0, Array(41).fill(150));
    expect(engine.firing).toHaveLength(1);
    // Hovering between 50 and 100 for a minute: below the threshold, but not healthy enough to clear.
    expect(feed(engine, T0 + 20_000, Array(240).fill(90))).toEqual([]);
    expect(engine.firing[0]!.peak).toBe(150);
    // Back under 50 for 5 s clears it, exactly then.
    const cleared = feed(engine, T0 + 100_000, Array(25).fill(20));
    expect(cleared).toHaveLength(1);
    expect(cleared[0]).toMatchObject({ kind: 'cleared', t: T0 + 105_000, clearedBy: 'recovered' });
    expect(engine.firing).toEqual([]);
  });

  it('keep one alert per metric for a wildcard rule', () => {
    const engine = new AlertEngine(rules({ id: 'sem', name: 'Semaphore stalled', kind: 'threshold', metric: 'semaphore.*.stalled', op: '>', threshold: 0, forSec: 1 }));
    const fired: string[] = [];
    for (let i = 0; i <= 4; i++) {
      const values = readings({ 'semaphore.agents.stalled': 1, 'semaphore.embedder.stalled': 0, 'semaphore.llm.stalled': 1, 'pool.waiting': 3 }, '');
      for (const transition of engine.evaluate(T0 + i * 250, values)) fired.push(transition.alert.metric);
    }
    expect(fired.sort()).toEqual(['semaphore.agents.stalled', 'semaphore.llm.stalled']);
  });

  it('lapse a pending condition and clear a firing alert when the metric disappears', () => {
    const engine = new AlertEngine(rules({ id: 'w', name: 'Waiting', kind: 'threshold', metric: 'pool.waiting', op: '>', threshold: 0, forSec: 0, clearForSec: 1 }));
    expect(engine.evaluate(T0, readings({ 'pool.waiting': 2 }))).toHaveLength(1);
    expect(engine.evaluate(T0 + 500, new Map())).toEqual([]);
    expect(engine.evaluate(T0 + 1500, new Map())).toMatchObject([{ kind: 'cleared' }]);
  });

  it('clear alerts of a rule that was changed or removed', () => {
    const engine = new AlertEngine(stall);
    feed(engine, T0, Array(41).fill(150));
    const original = stall[0]!;
    if (original.kind !== 'threshold') throw new Error('stall is a threshold rule');
    const changed = rules({ ...original, threshold: 200 });
    expect(engine.setRules(changed, T0 + 11_000)).toMatchObject([{ kind: 'cleared', clearedBy: 'rule-changed' }]);
    expect(engine.setRules(changed, T0 + 12_000)).toEqual([]);
  });
});

describe('trend rules (heap growing steadily)', () => {
  const heap = rules({ id: 'heap', name: 'Heap growing', kind: 'trend', metric: 'runtime.heapUsedMb', windowSec: 300, minSlopePerMin: 2, minR2: 0.8, clearForSec: 30 });

  function run(engine: AlertEngine, seconds: number, value: (s: number) => number, start = T0) {
    const out: Array<EngineTransition & { t: number }> = [];
    for (let s = 0; s < seconds; s++) {
      const t = start + s * 1000;
      for (const transition of engine.evaluate(t, readings({ 'runtime.heapUsedMb': value(s) }, 'MB'))) out.push({ ...transition, t });
    }
    return out;
  }

  it('fires on steady growth of 3 MB/min once most of the window is covered, not before', () => {
    const random = createRandom(7);
    const engine = new AlertEngine(heap);
    const transitions = run(engine, 400, (s) => 80 + (3 * s) / 60 + (random.next() - 0.5) * 2);
    expect(transitions[0]).toMatchObject({ kind: 'fired' });
    expect(transitions[0]!.t - T0).toBeGreaterThanOrEqual(240_000); // 80 % of the 5-minute window
    expect(transitions[0]!.alert.value).toBeGreaterThan(2.5);
    expect(transitions[0]!.alert.message).toMatch(/rising 2\.\d+ MB\/min|rising 3(\.\d+)? MB\/min/);
  });

  it('stays quiet on a sawtooth (GC) and on noise around a flat line', () => {
    const random = createRandom(11);
    expect(run(new AlertEngine(heap), 900, (s) => 80 + (s % 60) / 4)).toEqual([]);
    expect(run(new AlertEngine(heap), 900, () => 120 + (random.next() - 0.5) * 30)).toEqual([]);
  });

  it('clears when the growth stops', () => {
    const engine = new AlertEngine(heap);
    run(engine, 400, (s) => 80 + s / 10);
    expect(engine.firing).toHaveLength(1);
    const after = run(engine, 600, () => 120, T0 + 400_000);
    expect(after).toMatchObject([{ kind: 'cleared' }]);
  });
});

describe('rule validation and defaults', () => {
  it('ships the default rules and they validate', () => {
    expect(DEFAULT_ALERT_RULES.map((r) => r.id)).toEqual(['event-loop-stall', 'pool-waiting', 'provider-429-rate', 'heap-growth', 'pool-leak', 'semaphore-stalled', 'pool-below-min', 'limiter-store-down']);
  });

  it('names the field of a bad rule', () => {
    const paths = (input: unknown) => {
      const result = AlertRulesSchema.safeParse(input);
      return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
    };
    const base = { id: 'a', name: 'A', kind: 'threshold', metric: 'pool.waiting', op: '>', threshold: 1 };
    expect(paths([{ ...base, op: '=>' }])).toEqual(['0.op']);
    expect(paths([{ ...base, metric: 'pool..waiting' }])).toEqual(['0.metric']);
    expect(paths([{ ...base, clearThreshold: 5 }])).toEqual(['0.clearThreshold']);
    expect(paths([base, { ...base }])).toEqual(['1.id']);
    expect(paths([{ ...base, kind: 'trend', minR2: 2 }])).toEqual(expect.arrayContaining(['0.minR2', '0.minSlopePerMin']));
  });
});
