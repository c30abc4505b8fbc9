import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../../shared/contract';
import { FakeBridge, deferred, withBridge } from '../testing/fake-bridge';
import { useEvent } from './bridge-context';
import { useCall } from './use-call';

describe('useCall', () => {
  it('loads on mount, then shows the data', async () => {
    const bridge = new FakeBridge().on('stress.runs.list', () => []);
    const { result } = renderHook(() => useCall('stress.runs.list', { limit: 5 }), { wrapper: withBridge(bridge) });
    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.data).toEqual([]);
    expect(bridge.calls).toEqual([{ method: 'stress.runs.list', params: { limit: 5 } }]);
  });

  it('calls again on reload and when params change, keeping the previous data while loading', async () => {
    let answer = 1;
    const bridge = new FakeBridge().on('alerts.history', () => Array.from({ length: answer }, () => null as never));
    const { result, rerender } = renderHook(({ limit }) => useCall('alerts.history', { limit }), { wrapper: withBridge(bridge), initialProps: { limit: 10 } });
    await waitFor(() => expect(result.current.data).toHaveLength(1));
    answer = 2;
    act(() => result.current.reload());
    expect(result.current.loading).toBe(true);
    expect(result.current.data).toHaveLength(1);
    await waitFor(() => expect(result.current.data).toHaveLength(2));
    rerender({ limit: 20 });
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(bridge.calls.map((c) => c.params)).toEqual([{ limit: 10 }, { limit: 10 }, { limit: 20 }]);
  });

  it('shows the error of a failed call', async () => {
    const bridge = new FakeBridge().on('app.info', () => {
      throw new BridgeError({ code: 'DISCONNECTED', message: 'gone' });
    });
    const { result } = renderHook(() => useCall('app.info', {}), { wrapper: withBridge(bridge) });
    await waitFor(() => expect(result.current.error?.code).toBe('DISCONNECTED'));
    expect(result.current.data).toBeNull();
  });

  it('calls nothing while params are null', async () => {
    const bridge = new FakeBridge().on('doctor.report', () => null as never);
    const { result } = renderHook(() => useCall('doctor.report', null), { wrapper: withBridge(bridge) });
    expect(result.current.loading).toBe(false);
    await Promise.resolve();
    expect(bridge.calls).toEqual([]);
  });

  it('ignores an answer that arrives after the params changed', async () => {
    const slow = deferred<[]>();
    const bridge = new FakeBridge().on('stress.runs.list', ({ limit }) => (limit === 1 ? slow.promise : Promise.resolve([])));
    const { result, rerender } = renderHook(({ limit }) => useCall('stress.runs.list', { limit }), { wrapper: withBridge(bridge), initialProps: { limit: 1 } });
    rerender({ limit: 2 });
    await waitFor(() => expect(result.current.loading).toBe(false));
    await act(async () => slow.resolve([]));
    expect(result.current.loading).toBe(false);
  });
});

describe('useEvent', () => {
  it('subscribes for the component lifetime and always calls the latest listener', () => {
    const bridge = new FakeBridge();
    const seen: string[] = [];
    const { rerender, unmount } = renderHook(({ tag }) => useEvent('stress.progress', (p) => seen.push(`${tag}:${p.runId}`)), {
      wrapper: withBridge(bridge),
      initialProps: { tag: 'a' },
    });
    expect(bridge.subscriberCount('stress.progress')).toBe(1);
    act(() => bridge.emit('stress.progress', { runId: 'r1' } as never));
    rerender({ tag: 'b' });
    act(() => bridge.emit('stress.progress', { runId: 'r2' } as never));
    expect(bridge.subscriberCount('stress.progress')).toBe(1);
    unmount();
    expect(bridge.subscriberCount('stress.progress')).toBe(0);
    expect(seen).toEqual(['a:r1', 'b:r2']);
  });
});
