// Worker-thread entry of WorkerPool (plain JavaScript, so Node can start it with no loader).
// It imports the task module named in workerData — through tsx when it is TypeScript, which is how it runs
// from source under `tsx` and vitest; a bundled build passes compiled .js and never loads tsx — then runs
// each task it is sent, with an AbortSignal the pool can fire.
/* global AbortController, URL */
import { parentPort, workerData } from 'node:worker_threads';

const { moduleUrl } = workerData;
if (/\.[cm]?tsx?$/.test(new URL(moduleUrl).pathname)) {
  const { register } = await import('tsx/esm/api');
  register();
}
const loaded = await import(moduleUrl);
const tasks = loaded.tasks ?? loaded.default?.tasks;
if (!tasks || typeof tasks !== 'object') {
  throw new Error(`${moduleUrl} must export \`tasks\`: an object of task functions (payload, { signal }) => result`);
}

const running = new Map();

function serializeError(error) {
  if (error instanceof Error) {
    return { name: error.name, message: error.message, stack: error.stack, code: typeof error.code === 'string' ? error.code : undefined };
  }
  return { name: 'Error', message: String(error) };
}

parentPort.on('message', async (message) => {
  if (message.type === 'abort') {
    running.get(message.id)?.abort(message.reason ?? 'aborted by the pool');
    return;
  }
  if (message.type !== 'run') return;
  const controller = new AbortController();
  running.set(message.id, controller);
  try {
    const handler = tasks[message.task];
    if (typeof handler !== 'function') {
      throw new Error(`unknown task ${JSON.stringify(message.task)}; the module exports: ${Object.keys(tasks).join(', ')}`);
    }
    const result = await handler(message.payload, { signal: controller.signal });
    parentPort.postMessage({ type: 'done', id: message.id, ok: true, result });
  } catch (error) {
    parentPort.postMessage({ type: 'done', id: message.id, ok: false, error: serializeError(error) });
  } finally {
    running.delete(message.id);
  }
});

parentPort.postMessage({ type: 'ready' });
