import type { BenchCase } from '../bench/harness';
import { attachToPanel } from '../library/attach/auto-attach';
import type { AttachReporter } from '../library/attach/attach-reporter';
import { libraryRegistry } from '../library/library-registry';
import { Semaphore as LibrarySemaphore } from '../library/registered-primitives';
import { startReportSink, type ReportSink } from './testing/report-sink';

/** A task that yields once, like a real awaited call. */
const yieldingTask = async (): Promise<void> => {
  await Promise.resolve();
};

/** Reports four times as often as the default (every 125 ms instead of 500): a harsher case than a user gets. */
const BENCH_REPORT_INTERVAL_MS = 125;

/**
 * withPermit with the attach reporter on against the same with it off, in one process: the reporter
 * must not slow the code it watches (goal: ratio ≥ 0.9). Both sides use the library's Semaphore. "On"
 * rounds start a reporter and run the loop while it connects (inside the timed round) and reports every
 * 125 ms, with 50 more semaphores in the registry so each report has some weight; "off" rounds stop it
 * first, so no reporter runs while they are timed. The reports go to a WebSocket sink in a child process
 * that discards them: the panel is a process of its own, so receiving and parsing is not the agent's cost.
 * Rounds last about half a second, so a round holds a connection and several reports; a round's time is
 * the process's CPU time (ops per CPU second), which other processes on the machine do not change. Call
 * `dispose` when the run is over.
 */
export function attachCases(scale = 1): { cases: BenchCase[]; dispose(): Promise<void> } {
  const ops = Math.round(500_000 * scale);
  let sink: Promise<ReportSink> | null = null;
  let reporter: AttachReporter | null = null;
  const ballast: LibrarySemaphore[] = [];
  const sinkUrl = async (): Promise<string> => (await (sink ??= startReportSink())).url;
  let onRounds = 0;
  let reportsSent = 0;
  const stopReporter = (): void => {
    reportsSent += reporter?.stats().sent ?? 0;
    reporter?.stop();
    reporter = null;
  };

  // Every 500 permits the loop lets the event loop turn, as an agent doing I/O does: otherwise timers and
  // sockets (the reporter's) would never run inside a round and "on" would measure nothing.
  const loop = (semaphore: LibrarySemaphore) => async (): Promise<number> => {
    for (let i = 0; i < ops; i++) {
      await semaphore.withPermit(yieldingTask);
      if (i % 500 === 499) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return ops;
  };

  return {
    cases: [
      {
        name: 'attach: withPermit(fn) with the attach reporter on vs off, per CPU second (goal ≥ 0.9)',
        // CPU time: the reporter's work runs on this thread, so this is what it costs; wall time on a
        // machine shared with other processes swung 0.8–1.5× between identical runs.
        timing: 'cpu',
        ours: {
          label: 'withPermit, attach on (connecting + reporting)',
          setup: () => {
            if (ballast.length === 0) for (let i = 0; i < 50; i++) ballast.push(new LibrarySemaphore({ name: `bench-ballast-${i}`, permits: 4 }));
            const run = loop(new LibrarySemaphore({ name: 'bench-attached', permits: 4 }));
            return async () => {
              stopReporter();
              reporter = attachToPanel(libraryRegistry, { url: await sinkUrl(), name: 'bulkhead bench', intervalMs: BENCH_REPORT_INTERVAL_MS });
              onRounds += 1;
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
      if (sink) await (await sink).close();
      ballast.length = 0;
      // "On" must have meant reporting: without reports the ratio would measure nothing.
      if (onRounds > 0 && reportsSent < onRounds) throw new Error(`the attach bench reporter sent ${reportsSent} reports in ${onRounds} rounds; the on/off ratio would mean nothing`);
    },
  };
}
