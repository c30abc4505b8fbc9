/** Messages between WorkerPool and worker-bootstrap.mjs (structured-cloned over the worker's port). */
export type ToWorker =
  | { type: 'run'; id: number; task: string; payload: unknown }
  | { type: 'abort'; id: number; reason?: string };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

export type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; id: number; ok: true; result: unknown }
  | { type: 'done'; id: number; ok: false; error: SerializedError };

/** What a task module exports: `export const tasks = { name: (payload, { signal }) => result }`. */
export type TaskFunction = (payload: never, context: { signal: AbortSignal }) => unknown;
