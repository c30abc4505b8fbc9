import { describe, expect, it } from 'vitest';
import { EventSubscriptions } from './subscriptions';

function recorder() {
  const upstream: string[] = [];
  const errors: unknown[] = [];
  const subscriptions = new EventSubscriptions<string>(
    { open: (event) => upstream.push(`open ${event}`), close: (event) => upstream.push(`close ${event}`) },
    (error) => errors.push(error),
  );
  return { subscriptions, upstream, errors };
}

describe('EventSubscriptions', () => {
  it('opens an event upstream once for its first listener and closes it after its last', () => {
    const { subscriptions, upstream } = recorder();
    const a = subscriptions.add('tick', () => undefined);
    const b = subscriptions.add('tick', () => undefined);
    expect(upstream).toEqual(['open tick']);
    a();
    expect(upstream).toEqual(['open tick']);
    b();
    expect(upstream).toEqual(['open tick', 'close tick']);
  });

  it('counts the same function added twice as two listeners, and each unsubscribe only once', () => {
    const { subscriptions, upstream } = recorder();
    const seen: unknown[] = [];
    const listener = (payload: unknown) => seen.push(payload);
    const first = subscriptions.add('tick', listener);
    const second = subscriptions.add('tick', listener);
    subscriptions.deliver('tick', 1);
    expect(seen).toEqual([1, 1]);
    first();
    first();
    expect(subscriptions.listenerCount('tick')).toBe(1);
    expect(upstream).toEqual(['open tick']);
    second();
    expect(upstream).toEqual(['open tick', 'close tick']);
  });

  it('keeps delivering to the others when one listener throws', () => {
    const { subscriptions, errors } = recorder();
    const seen: unknown[] = [];
    subscriptions.add('tick', () => {
      throw new Error('broken listener');
    });
    subscriptions.add('tick', (payload) => seen.push(payload));
    subscriptions.deliver('tick', 7);
    expect(seen).toEqual([7]);
    expect(errors).toHaveLength(1);
  });

  it('renews every event that still has listeners, e.g. after a reconnect', () => {
    const { subscriptions, upstream } = recorder();
    subscriptions.add('a', () => undefined);
    const off = subscriptions.add('b', () => undefined);
    off();
    upstream.length = 0;
    subscriptions.renew();
    expect(upstream).toEqual(['open a']);
    expect(subscriptions.active()).toEqual(['a']);
  });
});
