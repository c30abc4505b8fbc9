import { afterEach, describe, expect, it } from 'vitest';
import type { RuntimeSample } from '../../../shared/contract';
import { ManualClock } from '../clock/manual-clock';
import { EventHub } from '../events/event-hub';
import { openAppStore, type AppStore } from '../store/app-store';
import { createRuntimeSamplesRepo } from '../store/runtime-samples-repo';
import { makeTempDir } from '../testing/temp-dir';
import { Monitor } from './monitor';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).reverse().forEach((cleanup) => cleanup()));

function setup(options: { retentionMs?: number } = {}) {
  const dir = makeTempDir();
  const store: AppStore = openAppStore({ dataDir: dir.path });
  const clock = new ManualClock();
  const hub = new EventHub();
  const samples = createRuntimeSamplesRepo(store.db);
  const monitor = new Monitor({ clock, hub, samples, intervalMs: 250, persistEveryMs: 1000, ...options });
  cleanups.push(dir.remove, () => store.close(), () => monitor.stop());
  return { clock, hub, samples, monitor, store };
}

describe('Monitor', () => {
  it('samples on its interval and pushes each sample to subscribers', () => {
    const { clock, hub, monitor } = setup();
    const seen: RuntimeSample[] = [];
    hub.subscribe('runtime.sample', (sample) => seen.push(sample));
    monitor.start();
    clock.advance(249);
    expect(seen).toHaveLength(0);
    clock.advance(1);
    expect(seen).toHaveLength(1);
    clock.advance(1000);
    expect(seen).toHaveLength(5);
    expect(seen.map((s) => s.t)).toEqual([250, 500, 750, 1000, 1250].map((ms) => 1_700_000_000_000 + ms));
    expect(monitor.latest).toBe(seen.at(-1));
    expect(seen[0]!.heapUsedMb).toBeGreaterThan(0);
  });

  it('stores at most one sample per persist interval', () => {
    const { clock, samples, monitor } = setup();
    monitor.start();
    clock.advance(10_000); // 40 ticks
    const stored = samples.latest(1000);
    expect(stored).toHaveLength(10);
    for (let i = 1; i < stored.length; i++) expect(stored[i]!.t - stored[i - 1]!.t).toBeGreaterThanOrEqual(1000);
  });

  it('prunes stored samples older than the retention window', () => {
    const { clock, samples, monitor } = setup({ retentionMs: 120_000 });
    monitor.start();
    clock.advance(300_000);
    const stored = samples.latest(10_000);
    const oldestAge = clock.now() - stored[0]!.t;
    // Pruning runs once a minute, so the oldest kept sample is at most retention + one minute old.
    expect(oldestAge).toBeLessThanOrEqual(120_000 + 60_000);
    expect(stored.length).toBeLessThan(300);
  });

  it('keeps ticking when a tick listener throws, and reports the error', () => {
    const clock = new ManualClock();
    const errors: unknown[] = [];
    const monitorWithErrors = new Monitor({
      clock,
      hub: new EventHub(),
      samples: { insert: () => undefined, since: () => [], latest: () => [], prune: () => 0 },
      onError: (error) => errors.push(error),
    });
    cleanups.push(() => monitorWithErrors.stop());
    let calls = 0;
    monitorWithErrors.onTick(() => {
      calls += 1;
      throw new Error('listener bug');
    });
    monitorWithErrors.start();
    clock.advance(1000);
    expect(calls).toBe(4);
    expect(errors).toHaveLength(4);
  });

  it('stops cleanly: no timer left behind', () => {
    const { clock, monitor } = setup();
    monitor.start();
    clock.advance(500);
    monitor.stop();
    expect(clock.pendingTimers).toBe(0);
  });
});
