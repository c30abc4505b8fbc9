import type { Socket } from 'node:net';
import type { Toxic, ToxicStream } from '../../../../shared/contract/chaos';
import type { Clock } from '../../clock/clock';
import { createToxicStage, type Chunk, type LinkControl, type ToxicStage } from './toxic-stages';

/** Pause reading from the sender when this much is queued in the proxy; resume below half of it. */
const HIGH_WATER_BYTES = 256 * 1024;

export interface DirectionBytes {
  received: number;
  forwarded: number;
  dropped: number;
}

export interface LinkOptions {
  readonly stream: ToxicStream;
  readonly source: Socket;
  readonly dest: Socket;
  readonly clock: Clock;
  readonly random: () => number;
  /** Aborts when the connection goes: the pump stops and every toxic's timers are cleared. */
  readonly signal: AbortSignal;
  readonly close: (reason: string) => void;
  readonly reset: (reason: string) => void;
  /** Called for every byte count change, so the proxy keeps totals over closed connections too. */
  readonly onBytes: (kind: keyof DirectionBytes, bytes: number) => void;
}

interface StageEntry {
  readonly stage: ToxicStage | null; // null: the toxicity roll said this toxic skips this connection
  readonly controller: AbortController;
}

/**
 * One direction of one proxied connection: reads chunks from `source`, passes each through the
 * toxics of its stream in the order they were added, and writes what survives to `dest`, honouring
 * back-pressure on both sides. Toxics can come and go while it runs (`sync`).
 */
export class Link {
  readonly bytes: DirectionBytes = { received: 0, forwarded: 0, dropped: 0 };
  private readonly queue: Chunk[] = [];
  private queuedBytes = 0;
  private sourceEnded = false;
  private wake: (() => void) | null = null;
  private readonly entries = new Map<Toxic, StageEntry>();
  private order: readonly Toxic[] = [];
  private readonly control: LinkControl;

  constructor(private readonly options: LinkOptions) {
    this.control = {
      clock: options.clock,
      random: options.random,
      close: options.close,
      reset: options.reset,
      dropped: (bytes) => this.count('dropped', bytes),
    };
    // The connection going away interrupts every toxic at once (a pump mid-delay must not hold it open).
    options.signal.addEventListener('abort', () => {
      for (const entry of this.entries.values()) entry.controller.abort();
    }, { once: true });
  }

  /** Names of the toxics that apply to this direction of this connection. */
  get applyingToxics(): string[] {
    return this.order.filter((toxic) => this.entries.get(toxic)?.stage).map((toxic) => toxic.name);
  }

  /** Brings the per-connection toxic stages in line with the proxy's list for this stream. */
  sync(toxics: readonly Toxic[]): void {
    for (const [toxic, entry] of [...this.entries]) {
      if (toxics.includes(toxic)) continue;
      this.entries.delete(toxic);
      entry.controller.abort();
      entry.stage?.dispose?.(true);
    }
    for (const toxic of toxics) {
      if (this.entries.has(toxic)) continue;
      const applies = this.options.random() < toxic.toxicity;
      const controller = new AbortController();
      if (this.options.signal.aborted) controller.abort();
      this.entries.set(toxic, { stage: applies ? createToxicStage(toxic, this.control) : null, controller });
    }
    this.order = [...toxics];
  }

  /** Pumps until the sender ends (then ends `dest`) or the connection is aborted. */
  async run(): Promise<void> {
    const { source, dest, signal } = this.options;
    const onData = (data: Buffer): void => {
      this.count('received', data.length);
      this.queue.push({ data, receivedAt: this.options.clock.now() });
      this.queuedBytes += data.length;
      if (this.queuedBytes > HIGH_WATER_BYTES) source.pause();
      this.wake?.();
    };
    const onEnd = (): void => {
      this.sourceEnded = true;
      this.wake?.();
    };
    const onAbort = (): void => this.wake?.();
    source.on('data', onData);
    source.once('end', onEnd);
    signal.addEventListener('abort', onAbort);
    try {
      for (;;) {
        const chunk = await this.next();
        if (!chunk) break;
        await this.pass(chunk, 0, this.order);
      }
      if (signal.aborted) return;
      for (const toxic of this.order) {
        const entry = this.entries.get(toxic);
        if (entry?.stage?.onEnd) await entry.stage.onEnd(entry.controller.signal);
      }
      if (!signal.aborted && !dest.destroyed && !dest.writableEnded) dest.end();
    } finally {
      source.off('data', onData);
      source.off('end', onEnd);
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Clears every toxic's timers; the connection is going away. */
  dispose(): void {
    for (const entry of this.entries.values()) {
      entry.controller.abort();
      entry.stage?.dispose?.(false);
    }
    this.entries.clear();
  }

  private next(): Promise<Chunk | null> {
    const chunk = this.queue.shift();
    if (chunk) {
      this.queuedBytes -= chunk.data.length;
      if (this.options.source.isPaused() && this.queuedBytes < HIGH_WATER_BYTES / 2) this.options.source.resume();
      return Promise.resolve(chunk);
    }
    if (this.sourceEnded || this.options.signal.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = null;
        resolve(this.next());
      };
    });
  }

  /** Hands the chunk to the first applying toxic at or after `index`, or writes it out. */
  private pass(chunk: Chunk, index: number, order: readonly Toxic[]): Promise<void> {
    for (let i = index; i < order.length; i++) {
      const entry = this.entries.get(order[i]!);
      if (!entry?.stage || entry.controller.signal.aborted) continue;
      return entry.stage.onChunk(chunk, (next) => this.pass(next, i + 1, order), entry.controller.signal);
    }
    return this.write(chunk.data);
  }

  private async write(data: Buffer): Promise<void> {
    const { dest, signal } = this.options;
    if (signal.aborted || dest.destroyed || dest.writableEnded) {
      this.count('dropped', data.length);
      return;
    }
    this.count('forwarded', data.length);
    if (dest.write(data)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        dest.off('drain', done);
        dest.off('close', done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      dest.on('drain', done);
      dest.on('close', done);
      signal.addEventListener('abort', done);
    });
  }

  private count(kind: keyof DirectionBytes, bytes: number): void {
    this.bytes[kind] += bytes;
    this.options.onBytes(kind, bytes);
  }
}
