import { totalmem } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BulkheadError } from '../../errors';
import type { ScenarioDefinition } from './scenario';

const CHUNK_BYTES = 16 * 1024 * 1024;
const MB = 1024 * 1024;

/** Ballast: 256 MB, or a quarter of the machine's memory if that is less. */
export function ballastBytes(): number {
  return Math.min(256 * MB, Math.floor(totalmem() / 4 / CHUNK_BYTES) * CHUNK_BYTES);
}

/** Heap in use plus Buffer memory: what the ballast adds and what must come back down. */
function footprint(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/**
 * A full collection, if the runtime lets us ask for one (started without --expose-gc it is fetched
 * through V8's flags); otherwise the probe waits for V8 to collect on its own.
 */
function collectGarbage(): void {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (() => void) | undefined;
    gc?.();
  } catch {
    // not available: V8 will collect when it decides to
  }
}

export const memoryPressureScenario: ScenarioDefinition = {
  name: 'memory-pressure',
  title: 'Memory pressure',
  description: 'Grows a ballast of Buffers in the stack process (256 MB, or a quarter of the machine if less) in 16 MB steps, holds it for the fault duration, then frees it.',
  recovery: 'Within the bound after the ballast is freed, heap plus Buffer memory is back within 64 MB of where it was before; the event loop kept serving and requests complete without errors.',
  needs: [],
  defaults: { startAfterS: 20, faultS: 10, recoveryBoundS: 15 },
  async prepare(context) {
    let ballast: Buffer[] = [];
    let before = 0;
    const target = ballastBytes();
    return {
      inject: async () => {
        collectGarbage();
        before = footprint();
        while (ballast.length * CHUNK_BYTES < target) {
          context.signal.throwIfAborted();
          ballast.push(Buffer.alloc(CHUNK_BYTES, ballast.length % 251)); // filled: the pages are really touched
          await new Promise((resolve) => setImmediate(resolve)); // one step per turn: the loop keeps serving
        }
        return `ballast of ${Math.round((ballast.length * CHUNK_BYTES) / MB)} MB held (heap + buffers before: ${Math.round(before / MB)} MB, now ${Math.round(footprint() / MB)} MB)`;
      },
      heal: async () => {
        const size = ballast.length * CHUNK_BYTES;
        ballast = [];
        collectGarbage();
        return `ballast of ${Math.round(size / MB)} MB released`;
      },
      probe: async () => {
        collectGarbage();
        const now = footprint();
        if (now > before + 64 * MB) {
          throw new BulkheadError('CHAOS_MEMORY_HELD', `heap + buffers ${Math.round(now / MB)} MB, still over ${Math.round((before + 64 * MB) / MB)} MB`);
        }
      },
      dispose: async () => {
        ballast = [];
      },
    };
  },
};
