import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertRuleInput, PayloadOf } from '../../../shared/contract';
import { AlertRulesSchema } from '../../../shared/contract/alerts';
import { ManualClock } from '../clock/manual-clock';
import { useTestDatabase } from '../db/testing/test-database';
import { EventHub } from '../events/event-hub';
import { silentLogger } from '../log/logger';
import { Monitor } from '../monitor/monitor';
import { startStack } from '../stack';
import { openAppStore, type AppStore } from '../store/app-store';
import { createRuntimeSamplesRepo } from '../store/runtime-samples-repo';
import { createSettingsRepo } from '../store/settings-repo';
import { makeTempDir } from '../testing/temp-dir';
import { startTestServer } from '../db/testing/test-server';
import { DEFAULT_ALERT_RULES } from './default-rules';
import { startAlertsService, type AlertsService } from './alerts-service';
import { registerBuiltInMetrics } from './built-in-metrics';
import { MetricRegistry } from '../monitor/metric-registry';

const db = useTestDatabase('alerts');
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Rig {
  clock: ManualClock;
  monitor: Monitor;
  hub: EventHub;
  metrics: MetricRegistry;
  store: AppStore;
  alerts: AlertsService;
  events: PayloadOf<'alerts.changed'>[];
  dataDir: string;
}

/** The alert pieces of a stack on a manual clock (the stack itself runs on real time). */
function rig(dataDir?: string): Rig {
  let dir = dataDir;
  if (!dir) {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    dir = temp.path;
  }
  const clock = new ManualClock();
  const store = openAppStore({ dataDir: dir });
  cleanups.push(() => store.close());
  const hub = new EventHub();
  const monitor = new Monitor({ clock, hub, samples: createRuntimeSamplesRepo(store.db), intervalMs: 250 });
  cleanups.push(() => monitor.stop());
  const metrics = new MetricRegistry();
  cleanups.push(registerBuiltInMetrics(metrics, monitor, hub));
  const alerts = startAlertsService({ clock, hub, monitor, metrics, settings: createSettingsRepo(store.db), db: store.db, log: silentLogger });
  cleanups.push(() => alerts.stop());
  const events: PayloadOf<'alerts.changed'>[] = [];
  hub.subscribe('alerts.changed', (payload) => events.push(payload));
  return { clock, monitor, hub, metrics, store, alerts, events, dataDir: dir };
}

const setRules = (r: Rig, ...rules: AlertRuleInput[]) => r.alerts.handlers['alerts.rules.set']({ rules: AlertRulesSchema.parse(rules) }, { transport: 'in-process' });
const realPause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // a real stall: nothing else runs on this thread meanwhile
  }
}

describe('alerts on real metric movements', () => {
  it('fire on a real event-loop stall (busy loop) and clear once the loop is healthy again', async () => {
    const r = rig();
    await setRules(r, { id: 'stall', name: 'Event loop stalled', kind: 'threshold', severity: 'critical', metric: 'runtime.eventLoopP99Ms', op: '>', threshold: 100, forSec: 1, clearThreshold: 50, clearForSec: 1 });
    const tick = () => {
      r.clock.advance(250);
      r.monitor.tick();
    };
    tick(); // first sample: a baseline
    let ticks = 0;
    while (r.events.length === 0 && ticks < 20) {
      // After a sample the delay histogram is reset, and its first timer callback only takes a start
      // time: a stall before that callback goes unseen. Let it run first.
      await realPause(25);
      busyWait(200);
      await realPause(25); // let the delay monitor's timer record the stall
      tick();
      ticks++;
    }
    expect(r.events[0]?.transitions[0]).toMatchObject({ kind: 'fired', alert: { ruleId: 'stall', severity: 'critical', status: 'firing' } });
    expect(r.events[0]!.transitions[0]!.alert.value).toBeGreaterThan(100);
    // forSec 1 at 4 Hz: the first stalled tick starts the clock, the fifth (1 s later) fires.
    expect(ticks).toBe(5);
    expect(r.store.db.prepare("SELECT status FROM alerts WHERE rule_id = 'stall'").all()).toEqual([{ status: 'firing' }]);

    let calm = 0;
    while (r.events.length === 1 && calm < 40) {
      await realPause(30);
      tick();
      calm++;
    }
    expect(r.events[1]?.transitions[0]).toMatchObject({ kind: 'cleared', alert: { ruleId: 'stall', status: 'cleared', clearedBy: 'recovered' } });
    expect(r.events[1]!.active).toEqual([]);
    expect(r.store.db.prepare("SELECT status, cleared_at IS NOT NULL AS done FROM alerts WHERE rule_id = 'stall'").all()).toEqual([{ status: 'cleared', done: 1 }]);
  });

  it('keeps alerts in SQLite; one left firing by a crash is closed as "restart" on the next start', async () => {
    const first = rig();
    let level = 5;
    first.metrics.gauge('test.level', () => level);
    await setRules(first, { id: 'level', name: 'Level high', kind: 'threshold', metric: 'test.level', op: '>=', threshold: 3 });
    first.alerts.evaluate(first.clock.now());
    expect(first.alerts.active()).toMatchObject([{ ruleId: 'level', value: 5 }]);
    level = 9;
    first.alerts.evaluate(first.clock.now() + 250);
    expect(first.alerts.active()[0]).toMatchObject({ value: 9, peak: 9 });
    first.alerts.stop(); // the process "dies" with the alert firing
    first.store.close();

    const second = rig(first.dataDir);
    expect(second.alerts.active()).toEqual([]);
    const history = await second.alerts.handlers['alerts.history']({ limit: 10 }, { transport: 'in-process' });
    expect(history).toMatchObject([{ ruleId: 'level', status: 'cleared', clearedBy: 'restart', message: expect.stringContaining('Level high') }]);
    // and the edited rules survived the restart
    expect((await second.alerts.handlers['alerts.rules.get']({}, { transport: 'in-process' })).rules.map((rule) => rule.id)).toEqual(['level']);
  });

  it('clears the history of cleared alerts and keeps the ones firing now', async () => {
    const r = rig();
    r.metrics.gauge('test.level', () => 5);
    const ruleA = { id: 'a', name: 'A high', kind: 'threshold', metric: 'test.level', op: '>=', threshold: 3 } as const;
    const ruleB = { ...ruleA, id: 'b', name: 'B high' };
    await setRules(r, ruleA, ruleB);
    r.alerts.evaluate(r.clock.now());
    await setRules(r, ruleB); // a's alert clears with its rule
    const ctx = { transport: 'in-process' } as const;
    const statuses = async () => (await r.alerts.handlers['alerts.history']({ limit: 10 }, ctx)).map((a) => `${a.ruleId} ${a.status}`).sort();
    expect(await statuses()).toEqual(['a cleared', 'b firing']);

    expect(await r.alerts.handlers['alerts.history.clear']({}, ctx)).toEqual({ deleted: 1 });
    expect(await statuses()).toEqual(['b firing']);
    expect(r.alerts.active()).toMatchObject([{ ruleId: 'b' }]);
    expect(await r.alerts.handlers['alerts.history.clear']({}, ctx)).toEqual({ deleted: 0 });
  });
});

describe('alerts in a running stack with a real pool', () => {
  it('fire on a real pool exhaustion within forSec plus one sampling interval, and on a leaked client', async () => {
    const dir = makeTempDir();
    cleanups.push(() => dir.remove());
    const stack = await startStack({
      dataDir: dir.path,
      role: 'test',
      log: silentLogger,
      monitorIntervalMs: 100,
      database: { url: db.url },
      poolOverrides: { min: 0, max: 1, leakThresholdMs: 1500, connectionTimeoutMs: 60_000 },
    });
    cleanups.push(() => stack.stop());
    const call = <M extends 'alerts.rules.set'>(method: M, params: unknown) => stack.dispatcher.dispatch(method, params, { transport: 'in-process' });
    const set = await call('alerts.rules.set', {
      rules: [
        { id: 'pool-waiting', name: 'Pool exhausted', kind: 'threshold', metric: 'pool.waiting', op: '>', threshold: 0, forSec: 1, clearForSec: 0.5 },
        { id: 'pool-leak', name: 'Leaked database client', kind: 'threshold', severity: 'critical', metric: 'pool.leaks', op: '>', threshold: 0, clearForSec: 0.5 },
      ],
    });
    expect(set.ok).toBe(true);

    const events: PayloadOf<'alerts.changed'>[] = [];
    stack.hub.subscribe('alerts.changed', (payload) => events.push(payload));
    let firstWaitingAt: number | null = null;
    stack.hub.subscribe('pool.snapshot', (snap) => {
      if (snap.counts.waiting > 0) firstWaitingAt ??= snap.t;
    });

    const { pool } = await stack.core.database.whenReady();
    const held = await pool.acquire('test:holder');
    const waiter = pool.acquire('test:waiter'); // max 1: this one queues
    const fired = () => events.flatMap((e) => e.transitions).filter((t) => t.kind === 'fired');
    for (let i = 0; i < 300 && !fired().some((t) => t.alert.ruleId === 'pool-waiting'); i++) await realPause(20);
    const exhausted = fired().find((t) => t.alert.ruleId === 'pool-waiting')!;
    expect(exhausted.alert.message).toContain('pool.waiting > 0 for 1 s (now 1)');
    expect(firstWaitingAt).not.toBeNull();
    // The rule's duration, and at most a few sampling intervals more (ticks can run late on a busy machine).
    expect(exhausted.alert.firedAt - firstWaitingAt!).toBeGreaterThanOrEqual(999);
    expect(exhausted.alert.firedAt - firstWaitingAt!).toBeLessThan(1000 + 10 * 100);

    // Held past the 1.5 s leak threshold: the leak rule fires.
    for (let i = 0; i < 300 && !fired().some((t) => t.alert.ruleId === 'pool-leak'); i++) await realPause(20);
    expect(fired().find((t) => t.alert.ruleId === 'pool-leak')?.alert).toMatchObject({ severity: 'critical', metric: 'pool.leaks' });

    held.release();
    (await waiter).release();
    const cleared = () => events.flatMap((e) => e.transitions).filter((t) => t.kind === 'cleared').map((t) => t.alert.ruleId);
    for (let i = 0; i < 300 && cleared().length < 2; i++) await realPause(20);
    expect(cleared().sort()).toEqual(['pool-leak', 'pool-waiting']);
    const active = await stack.dispatcher.dispatch('alerts.active', {}, { transport: 'in-process' });
    expect(active).toEqual({ ok: true, result: [] });
  });

  it('fire "pool below minimum" (the default rule, shorter durations) while the server is down, and clear once the pool is refilled', async () => {
    const dir = makeTempDir();
    cleanups.push(() => dir.remove());
    chmodSync(dir.path, 0o755);
    const server = await startTestServer({ baseDir: dir.path });
    cleanups.push(() => server.stop());
    const stack = await startStack({
      dataDir: join(dir.path, 'data'),
      role: 'test',
      log: silentLogger,
      monitorIntervalMs: 100,
      database: { url: server.url() },
      poolOverrides: { min: 3, max: 6 },
    });
    cleanups.push(() => stack.stop());
    const rule = DEFAULT_ALERT_RULES.find((r) => r.id === 'pool-below-min');
    expect(rule).toMatchObject({ metric: 'pool.belowMin', op: '>', threshold: 0 });
    const set = await stack.dispatcher.dispatch('alerts.rules.set', { rules: [{ ...rule, forSec: 1, clearForSec: 0.5 }] }, { transport: 'in-process' });
    expect(set.ok).toBe(true);
    const events: PayloadOf<'alerts.changed'>[] = [];
    stack.hub.subscribe('alerts.changed', (payload) => events.push(payload));
    const transitions = (kind: 'fired' | 'cleared') => events.flatMap((e) => e.transitions).filter((t) => t.kind === kind && t.alert.ruleId === 'pool-below-min');
    await stack.core.database.whenReady();

    await server.stop();
    for (let i = 0; i < 750 && transitions('fired').length === 0; i++) await realPause(20);
    expect(transitions('fired')[0]?.alert).toMatchObject({ metric: 'pool.belowMin', severity: 'warning', value: 3 });
    expect(transitions('cleared')).toEqual([]);

    const again = await startTestServer({ baseDir: dir.path, port: server.port });
    cleanups.push(() => again.stop());
    for (let i = 0; i < 750 && transitions('cleared').length === 0; i++) await realPause(20);
    expect(transitions('cleared')[0]?.alert).toMatchObject({ status: 'cleared', clearedBy: 'recovered' });
    expect(stack.core.database.snapshot()).toMatchObject({ state: 'ready', counts: { total: 3 }, refill: { state: 'at-min', missing: 0 } });
  });
});
