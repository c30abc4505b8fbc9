import type { BenchCase } from '../bench/harness';
import { systemClock } from '../clock/clock';
import { attachToPanel } from '../library/attach/auto-attach';
import type { AttachReporter } from '../library/attach/attach-reporter';
import { libraryRegistry } from '../library/library-registry';
import { Semaphore as LibrarySemaphore } from '../library/registered-primitives';
import { silentLogger } from '../log/logger';
import { startAttachEndpoint, type AttachEndpoint } from './attach-endpoint';
import { AttachedProcesses } from './attached-processes';

/** A task that yields once, like a real awaited call. */
const yieldingTask = async (): Promise<void> => {
  await Promise.resolve();
};

/** Reports four times as often as the default (every 125 ms instead of 500): a harsher case than a user gets. */
const BENCH_REPORT_INTERVAL_MS = 125;

/**
 * withPermit with the attach reporter on against the same with it off, in one process: the reporter
 * must not slow the code it watches (goal: ratio ≥ 0.9). Both sides use the library's Semaphore. "On"
 * rounds start a reporter (connecting to a real attach endpoint on loopback, started once) and run the
 * loop while it connects and reports every 125 ms, with 50 more semaphores in the registry so each
 * report has some weight; "off" rounds stop it first, so no reporter runs while they are timed. Call
 * `dispose` when the run is over.
 */
export function attachCases(scale = 1): { cases: BenchCase[]; dispose(): Promise<void> } {
  const ops = Math.round(100_000 * scale);
  let endpoint: Promise<AttachEndpoint> | null = null;
  let reporter: AttachReporter | null = null;
  const ballast: LibrarySemaphore[] = [];
  const endpointUrl = async (): Promise<string> => {
    endpoint ??= startAttachEndpoint({ processes: new AttachedProcesses(systemClock), clock: systemClock, log: silentLogger, maxMessagesPerSecond: 1000 });
    return (await endpoint).url;
  };
  const stopReporter = (): void => {
    reporter?.stop();
    reporter = null;
  };

  const loop = (semaphore: LibrarySemaphore) => async (): Promise<number> => {
    for (let i = 0; i < ops; i++) await semaphore.withPermit(yieldingTask);
    return ops;
  };

  return {
    cases: [
      {
        name: 'attach: withPermit(fn) with the attach reporter on vs off (goal ≥ 0.9)',
        ours: {
          label: 'withPermit, attach on (connecting + reporting)',
          setup: () => {
            if (ballast.length === 0) for (let i = 0; i < 50; i++) ballast.push(new LibrarySemaphore({ name: `bench-ballast-${i}`, permits: 4 }));
            const run = loop(new LibrarySemaphore({ name: 'bench-attached', permits: 4 }));
            return async () => {
              stopReporter();
              reporter = attachToPanel(libraryRegistry, { url: await endpointUrl(), name: 'bulkhead bench', intervalMs: BENCH_REPORT_INTERVAL_MS });
              return run();
            };
          },
        },
        peers: [
          {
            label: 'withPermit, attach off',
            setup: () => {
              stopReporter();
              return loop(new LibrarySemaphore({ name: 'bench-detached', permits: 4 }));
            },
          },
        ],
      },
    ],
    async dispose() {
      stopReporter();
      if (endpoint) await (await endpoint).close();
      ballast.length = 0;
    },
  };
}
