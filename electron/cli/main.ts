import { runCli } from './run-cli';

/** The `bulkhead` executable: real stdout/stderr, SIGINT/SIGTERM become an AbortSignal. */
const controller = new AbortController();
let interrupts = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130); // second Ctrl+C: stop waiting for a clean shutdown
    controller.abort(new Error(`received ${signal}`));
  });
}

// `bulkhead stress --json | head -c 100` closes our stdout early: that is the reader's choice, not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
  signal: controller.signal,
  stdin: process.stdin,
});
process.exitCode = code;
// Commands clean up after themselves; anything still holding the loop open past this is a leak, not a reason to hang.
setTimeout(() => process.exit(code), 2000).unref();
