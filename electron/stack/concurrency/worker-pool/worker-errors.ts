import { BulkheadError } from '../../errors';
import type { SerializedError } from './worker-protocol';

/** The worker running a task died (uncaught error, exit, out of memory); it was replaced. */
export class WorkerCrashedError extends BulkheadError {
  override readonly name = 'WorkerCrashedError';
  constructor(pool: string, task: string, detail: string, cause?: unknown) {
    super('WORKER_CRASHED', `The ${pool} worker running "${task}" crashed: ${detail}. A new worker replaced it.`, {
      remedy: 'Look at the task for an uncaught error, process.exit or unbounded memory; the task was not retried.',
      cause,
    });
  }
}

/** The task itself threw or rejected inside the worker. */
export class WorkerTaskError extends BulkheadError {
  override readonly name = 'WorkerTaskError';
  readonly remoteName: string;
  readonly remoteCode: string | undefined;
  constructor(pool: string, task: string, error: SerializedError) {
    super('WORKER_TASK_FAILED', `Task "${task}" in ${pool} failed: ${error.message}`);
    this.remoteName = error.name;
    this.remoteCode = error.code;
    if (error.stack) this.stack = `${this.name}: ${this.message}\n--- in worker ---\n${error.stack}`;
  }
}
