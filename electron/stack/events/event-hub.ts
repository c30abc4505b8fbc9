import type { EventName, PayloadOf } from '../../../shared/contract';

type Listener<E extends EventName> = (payload: PayloadOf<E>) => void;

/**
 * Typed fan-out of the contract's pushed events inside the stack. Transports subscribe per client and
 * forward; a throwing listener is isolated so one broken client cannot stop the others.
 */
export class EventHub {
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  publish<E extends EventName>(event: E, payload: PayloadOf<E>): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<E>)(payload);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  subscribe<E extends EventName>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as (payload: never) => void);
    return () => {
      set.delete(listener as (payload: never) => void);
    };
  }

  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }
}
