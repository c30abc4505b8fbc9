import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../../shared/contract';
import { FakeBridge, deferred, withBridge } from '../testing/fake-bridge';
import { useAction } from './use-action';

describe('useAction', () => {
  it('is pending while the call runs, then holds its result', async () => {
    const answer = deferred<{ stopped: boolean }>();
    const bridge = new FakeBridge().on('stress.stop', () => answer.promise);
    const { result } = renderHook(() => useAction((b, runId: string) => b.call('stress.stop', { runId })), { wrapper: withBridge(bridge) });
    expect(result.current.pending).toBe(false);

    let returned: Promise<{ stopped: boolean } | undefined>;
    act(() => {
      returned = result.current.run('run-1');
    });
    expect(result.current.pending).toBe(true);
    expect(bridge.calls).toEqual([{ method: 'stress.stop', params: { runId: 'run-1' } }]);

    await act(async () => answer.resolve({ stopped: true }));
    await expect(returned!).resolves.toEqual({ stopped: true });
    expect(result.current).toMatchObject({ pending: false, error: null, result: { stopped: true } });
  });

  it('turns a rejection into a BridgeError in state and never rejects', async () => {
    const bridge = new FakeBridge().on('stress.stop', () => {
      throw new BridgeError({ code: 'STRESS_BUSY', message: 'A run is going.', remedy: 'Wait for it.' });
    });
    const { result } = renderHook(() => useAction((b) => b.call('stress.stop', {})), { wrapper: withBridge(bridge) });
    await act(async () => {
      await expect(result.current.run()).resolves.toBeUndefined();
    });
    expect(result.current.pending).toBe(false);
    expect(result.current.error).toBeInstanceOf(BridgeError);
    expect(result.current.error).toMatchObject({ code: 'STRESS_BUSY', remedy: 'Wait for it.' });
  });

  it('wraps a non-BridgeError failure as INTERNAL with its message', async () => {
    const bridge = new FakeBridge().on('stress.stop', () => Promise.reject(new TypeError('boom')));
    const { result } = renderHook(() => useAction((b) => b.call('stress.stop', {})), { wrapper: withBridge(bridge) });
    await act(() => result.current.run());
    expect(result.current.error).toMatchObject({ code: 'INTERNAL', message: 'boom' });
  });

  it('clears the last error when it runs again, and calls onSuccess with the result and arguments', async () => {
    let fail = true;
    const seen: unknown[] = [];
    const bridge = new FakeBridge().on('stress.stop', ({ runId }) => {
      if (fail) throw new BridgeError({ code: 'X', message: 'no' });
      return { stopped: runId === 'r' };
    });
    const { result } = renderHook(() => useAction((b, runId: string) => b.call('stress.stop', { runId }), { onSuccess: (value, [runId]) => seen.push([value, runId]) }), {
      wrapper: withBridge(bridge),
    });
    await act(() => result.current.run('r'));
    expect(result.current.error?.code).toBe('X');
    fail = false;
    await act(() => result.current.run('r'));
    expect(result.current.error).toBeNull();
    expect(seen).toEqual([[{ stopped: true }, 'r']]);
  });

  it('drops a result that arrives after unmount', async () => {
    const answer = deferred<{ stopped: boolean }>();
    const seen: unknown[] = [];
    const bridge = new FakeBridge().on('stress.stop', () => answer.promise);
    const { result, unmount } = renderHook(() => useAction((b) => b.call('stress.stop', {}), { onSuccess: (v) => seen.push(v) }), { wrapper: withBridge(bridge) });
    let returned: Promise<unknown>;
    act(() => {
      returned = result.current.run();
    });
    unmount();
    answer.resolve({ stopped: true });
    await returned!;
    await waitFor(() => expect(seen).toEqual([]));
  });
});
