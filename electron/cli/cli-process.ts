import { BulkheadError } from '../stack/errors';
import { EXIT, type CliCommand } from './command';
import { runCli } from './run-cli';

export interface CliProcessOptions {
  /** How long a stalled command gets to clean up (stop its stack, release the lock) once aborted. */
  readonly stallCleanupMs?: number;
  /**
   * Two interrupts this close together are one Ctrl+C delivered twice — the terminal signals the whole
   * process group and a parent (`npm start`, `npm run`) forwards its copy — not a user pressing twice.
   */
  readonly duplicateSignalWindowMs?: number;
}

/** Exit code for a second Ctrl+C: stop waiting for a clean shutdown (128 + SIGINT, as shells report it). */
export const EXIT_FORCED = 130;

/**
 * Runs one command as this process: real stdout/stderr, SIGINT/SIGTERM as its AbortSignal, and an exit
 * code in every case. Structural guard: if the event loop runs empty while the command is still
 * pending — it awaits something nothing will ever settle (an unref'd timer, an event never emitted) —
 * Node would end the process with code 13 and no word. Instead the command is aborted so it can clean
 * up, an internal error is printed, and the process exits 1.
 */
export function runCliProcess(argv: readonly string[], commands: readonly CliCommand[], options: CliProcessOptions = {}): void {
  const stallCleanupMs = options.stallCleanupMs ?? 10_000;
  const duplicateWindowMs = options.duplicateSignalWindowMs ?? 1_000;
  const controller = new AbortController();
  let firstSignalAt: number | null = null;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      const now = Date.now();
      if (firstSignalAt === null) {
        firstSignalAt = now;
        controller.abort(new Error(`received ${signal}`));
        return;
      }
      if (now - firstSignalAt < duplicateWindowMs) return;
      process.stderr.write(`\nbulkhead: second ${signal === 'SIGINT' ? 'Ctrl+C' : signal}: exiting without a clean shutdown\n`);
      process.exit(EXIT_FORCED);
    });
  }

  // `bulkhead stress --json | head -c 100` closes our stdout early: that is the reader's choice, not a crash.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }

  let settled = false;
  let stalled = false;
  process.on('beforeExit', () => {
    if (settled || stalled) return;
    stalled = true;
    process.stderr.write(
      `bulkhead: internal error: the command was left waiting for something that can never happen (nothing kept the process alive). ` +
        `Stopping it and exiting with code 1 — please report this with the command line you ran.\n`,
    );
    controller.abort(new BulkheadError('CLI_STALLED', 'the command stalled: nothing could ever wake it'));
    // Held (not unref'd): keeps the process alive while the command stops its stack and releases the data-dir lock.
    setTimeout(() => process.exit(EXIT.failed), stallCleanupMs);
  });

  runCli(argv, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
    signal: controller.signal,
    stdin: process.stdin,
  }, commands).then(
    (code) => finish(stalled ? EXIT.failed : code),
    (error: unknown) => {
      // runCli catches what commands throw; reaching here is a bug in the CLI itself.
      process.stderr.write(`bulkhead: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      finish(EXIT.failed);
    },
  );

  function finish(code: number): void {
    settled = true;
    process.exitCode = code;
    // Commands clean up after themselves; anything still holding the loop open past this is a leak, not a reason to hang.
    setTimeout(() => process.exit(code), 2000).unref();
  }
}
