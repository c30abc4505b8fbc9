import { runCliProcess } from './cli-process';
import { commands } from './commands';

/** The `bulkhead` executable. No top-level await: an empty event loop must reach the stall guard, never Node's exit 13. */
runCliProcess(process.argv.slice(2), commands);
