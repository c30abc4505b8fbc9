import { describe, expect, it } from 'vitest';
import { ReadyWaiters } from './ready-waiters';

describe('ReadyWaiters', () => {
  it('settles every waiter once, and forgets one whose signal aborted', async () => {
    const waiters = new ReadyWaiters<string>();
    const controller = new AbortController();
    const abandoned = waiters.wait(controller.signal);
    const kept = waiters.wait();
    expect(waiters.size).toBe(2);
    controller.abort(new Error('not waiting any more'));
    await expect(abandoned).rejects.toThrow('not waiting any more');
    expect(waiters.size).toBe(1);
    waiters.resolveAll('ready');
    waiters.rejectAll(new Error('too late'));
    await expect(kept).resolves.toBe('ready');
    expect(waiters.size).toBe(0);
  });

  it('rejects at once on a signal that is already aborted', async () => {
    const waiters = new ReadyWaiters<string>();
    await expect(waiters.wait(AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
    expect(waiters.size).toBe(0);
  });
});
