/**
 * A `bulkhead`-like process whose commands stall the way the bugs the CLI guards against did: awaiting
 * an unref'd timer, so the event loop runs empty while the command is still pending.
 *   stall       wakes on abort and cleans up (what a Bulkhead command does)
 *   deaf        never wakes, even on abort
 *   wait-abort  waits for Ctrl+C, then takes 0.8 s to shut down cleanly
 *   slow-stop   waits for Ctrl+C, then takes 20 s to shut down
 */
import { runCliProcess } from '../cli-process';
import type { CliCommand } from '../command';

const unrefSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

const base = { summary: 'test', usage: 'test', options: {} };

function waitThenStop(stopMs: number): CliCommand['run'] {
  return async (_values, _positionals, io) => {
    io.stderr('waiting\n');
    await new Promise((resolve) => {
      const keepAlive = setInterval(() => undefined, 1000);
      io.signal.addEventListener('abort', () => {
        clearInterval(keepAlive);
        resolve(undefined);
      }, { once: true });
    });
    await new Promise((resolve) => setTimeout(resolve, stopMs));
    io.stderr('stopped cleanly\n');
    return 0;
  };
}

const commands: CliCommand[] = [
  {
    ...base,
    name: 'stall',
    async run(_values, _positionals, io) {
      await Promise.race([unrefSleep(600_000), new Promise((resolve) => io.signal.addEventListener('abort', resolve, { once: true }))]);
      io.stderr(`cleaned up after: ${String((io.signal.reason as { code?: string } | undefined)?.code)}\n`);
      return 0;
    },
  },
  {
    ...base,
    name: 'deaf',
    async run() {
      await unrefSleep(600_000);
      return 0;
    },
  },
  { ...base, name: 'wait-abort', run: waitThenStop(800) },
  { ...base, name: 'slow-stop', run: waitThenStop(20_000) },
];

runCliProcess(process.argv.slice(2), commands, { stallCleanupMs: 500 });
