/**
 * The subscribing side of pushed events, shared by the Electron preload and the browser host's bridge:
 * one listener set per event, reference-counted. The first listener of an event opens it upstream (an IPC
 * message, a WebSocket frame), the last one's unsubscribe closes it, and `renew` opens every event that
 * still has listeners again — what a bridge does after it reconnects.
 */
export interface Upstream<E extends string> {
  open(event: E): void;
  close(event: E): void;
}

interface Entry {
  readonly listener: (payload: unknown) => void;
}

export class EventSubscriptions<E extends string> {
  private readonly byEvent = new Map<E, Set<Entry>>();

  constructor(
    private readonly upstream: Upstream<E>,
    /** A listener that throws must not starve the others; it is reported here (default: rethrown later). */
    private readonly onListenerError: (error: unknown) => void = (error) =>
      queueMicrotask(() => {
        throw error;
      }),
  ) {}

  /** Adds a listener; the returned function removes exactly this one, once, however often it is called. */
  add(event: E, listener: (payload: unknown) => void): () => void {
    let entries = this.byEvent.get(event);
    if (!entries) {
      entries = new Set();
      this.byEvent.set(event, entries);
      this.upstream.open(event);
    }
    const entry: Entry = { listener };
    entries.add(entry);
    return () => {
      const current = this.byEvent.get(event);
      if (!current?.delete(entry)) return;
      if (current.size === 0) {
        this.byEvent.delete(event);
        this.upstream.close(event);
      }
    };
  }

  /** Hands a pushed payload to every listener of its event. */
  deliver(event: E, payload: unknown): void {
    const entries = this.byEvent.get(event);
    if (!entries) return;
    for (const entry of [...entries]) {
      try {
        entry.listener(payload);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  /** Events that have at least one listener. */
  active(): E[] {
    return [...this.byEvent.keys()];
  }

  /** Opens every active event upstream again, e.g. on a fresh connection. */
  renew(): void {
    for (const event of this.byEvent.keys()) this.upstream.open(event);
  }

  listenerCount(event: E): number {
    return this.byEvent.get(event)?.size ?? 0;
  }
}
