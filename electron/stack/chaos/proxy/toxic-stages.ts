import type { Toxic } from '../../../../shared/contract/chaos';
import { sleep, type Clock, type TimerHandle } from '../../clock/clock';

/** A piece of the byte stream with the time it was read, so delays count from arrival. */
export interface Chunk {
  readonly data: Buffer;
  readonly receivedAt: number;
}

export type Emit = (chunk: Chunk) => Promise<void>;

/** What a toxic may do to the connection it sits on. */
export interface LinkControl {
  readonly clock: Clock;
  readonly random: () => number;
  /** Graceful close of both sides (FIN), after what was already written. */
  close(reason: string): void;
  /** TCP reset of both sides (RST), unsent data discarded. */
  reset(reason: string): void;
  /** Counts bytes a toxic swallowed. */
  dropped(bytes: number): void;
}

/**
 * One toxic acting on one direction of one connection. Chunks pass through `onChunk`, which hands
 * what survives to `emit` (the next toxic, or the socket). `signal` aborts when the toxic is removed
 * or the connection goes; a toxic interrupted mid-delay passes its chunk on rather than losing it,
 * as Toxiproxy does.
 */
export interface ToxicStage {
  onChunk(chunk: Chunk, emit: Emit, signal: AbortSignal): Promise<void>;
  /** Called once the sending side has finished, before the end is passed on (slow_close waits here). */
  onEnd?(signal: AbortSignal): Promise<void>;
  /** `removed`: the toxic was taken off a live connection (not the connection closing). */
  dispose?(removed: boolean): void;
}

export function createToxicStage(toxic: Toxic, link: LinkControl): ToxicStage {
  switch (toxic.type) {
    case 'latency':
      return latencyStage(toxic.attributes.latency, toxic.attributes.jitter, link);
    case 'bandwidth':
      return bandwidthStage(toxic.attributes.rate, link);
    case 'timeout':
      return timeoutStage(toxic.attributes.timeout, link);
    case 'reset_peer':
      return resetPeerStage(toxic.attributes.timeout, link);
    case 'slow_close':
      return slowCloseStage(toxic.attributes.delay, link);
    case 'limit_data':
      return limitDataStage(toxic.attributes.bytes, link);
    case 'slicer':
      return slicerStage(toxic.attributes.average_size, toxic.attributes.size_variation, toxic.attributes.delay, link);
  }
}

/** Sleeps on the link's clock; resolves false (instead of throwing) when interrupted. */
async function pause(link: LinkControl, ms: number, signal: AbortSignal): Promise<boolean> {
  if (ms <= 0) return !signal.aborted;
  try {
    await sleep(link.clock, ms, signal);
    return true;
  } catch {
    return false;
  }
}

/** Each chunk is held until latency ± jitter after it arrived (not after the previous one left). */
function latencyStage(latencyMs: number, jitterMs: number, link: LinkControl): ToxicStage {
  return {
    async onChunk(chunk, emit, signal) {
      const jitter = jitterMs > 0 ? Math.floor(link.random() * 2 * jitterMs) - jitterMs : 0;
      const due = chunk.receivedAt + Math.max(0, latencyMs + jitter);
      await pause(link, due - link.clock.now(), signal);
      await emit(chunk);
    },
  };
}

/**
 * Passes `rate` KB/s: each chunk costs len/rate ms of credit, paid by sleeping; chunks larger than
 * 100 ms worth are cut and sent in 100 ms slices, so the receiver sees a steady trickle.
 */
function bandwidthStage(rateKBps: number, link: LinkControl): ToxicStage {
  const bytesPerMs = rateKBps; // 1 KB/s = 1000 bytes per 1000 ms
  const slice = rateKBps * 100;
  let debtMs = 0;
  return {
    async onChunk(chunk, emit, signal) {
      let data = chunk.data;
      debtMs += data.length / bytesPerMs;
      while (data.length > slice) {
        if (!(await pause(link, 100, signal))) break;
        await emit({ data: data.subarray(0, slice), receivedAt: chunk.receivedAt });
        data = data.subarray(slice);
        debtMs -= 100;
      }
      const started = link.clock.now();
      if (await pause(link, debtMs, signal)) debtMs -= link.clock.now() - started;
      else debtMs = 0;
      debtMs = Math.max(0, debtMs);
      if (data.length > 0) await emit({ data, receivedAt: chunk.receivedAt });
    },
  };
}

/**
 * Swallows every byte; after `timeoutMs` closes the connection (0 = never: a blackhole). Removing it
 * closes the connections it held, as in Toxiproxy: bytes were lost, the stream is broken either way.
 */
function timeoutStage(timeoutMs: number, link: LinkControl): ToxicStage {
  const timer: TimerHandle | null = timeoutMs > 0 ? link.clock.setTimeout(() => link.close('timeout toxic'), timeoutMs) : null;
  return {
    async onChunk(chunk) {
      link.dropped(chunk.data.length);
    },
    dispose(removed) {
      if (timer) link.clock.clearTimeout(timer);
      if (removed) link.close('timeout toxic removed');
    },
  };
}

/** On the first data, waits `timeoutMs` and then resets the connection; data in between is lost. */
function resetPeerStage(timeoutMs: number, link: LinkControl): ToxicStage {
  let timer: TimerHandle | null = null;
  let fired = false;
  const fire = (): void => {
    fired = true;
    link.reset('reset_peer toxic');
  };
  return {
    async onChunk(chunk) {
      link.dropped(chunk.data.length);
      if (fired || timer) return;
      if (timeoutMs === 0) fire();
      else timer = link.clock.setTimeout(fire, timeoutMs);
    },
    dispose() {
      if (timer) link.clock.clearTimeout(timer);
    },
  };
}

/** Holds the close (FIN) for `delayMs` after the sender finished. */
function slowCloseStage(delayMs: number, link: LinkControl): ToxicStage {
  return {
    onChunk: (chunk, emit) => emit(chunk),
    async onEnd(signal) {
      await pause(link, delayMs, signal);
    },
  };
}

/** Lets `bytes` through in this direction, then closes the connection (0: closes on the first data). */
function limitDataStage(limit: number, link: LinkControl): ToxicStage {
  let passed = 0;
  let closed = false;
  const closeOnce = (): void => {
    if (closed) return;
    closed = true;
    link.close('limit_data toxic');
  };
  return {
    async onChunk(chunk, emit) {
      const room = Math.max(0, limit - passed);
      const allowed = chunk.data.length <= room ? chunk.data : chunk.data.subarray(0, room);
      if (allowed.length < chunk.data.length) link.dropped(chunk.data.length - allowed.length);
      if (allowed.length > 0) {
        passed += allowed.length;
        await emit({ data: allowed, receivedAt: chunk.receivedAt });
      }
      if (passed >= limit) closeOnce();
    },
  };
}

/** Cuts chunks into slices of average ± variation bytes, with `delayUs` microseconds between them. */
function slicerStage(averageSize: number, variation: number, delayUs: number, link: LinkControl): ToxicStage {
  return {
    async onChunk(chunk, emit, signal) {
      let offset = 0;
      while (offset < chunk.data.length) {
        const size = Math.max(1, averageSize + (variation > 0 ? Math.floor(link.random() * (2 * variation + 1)) - variation : 0));
        await emit({ data: chunk.data.subarray(offset, offset + size), receivedAt: chunk.receivedAt });
        offset += size;
        if (offset < chunk.data.length && delayUs > 0 && !(await pause(link, delayUs / 1000, signal))) {
          await emit({ data: chunk.data.subarray(offset), receivedAt: chunk.receivedAt });
          return;
        }
      }
    },
  };
}
