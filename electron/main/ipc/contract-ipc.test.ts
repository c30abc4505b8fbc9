/**
 * The IPC wrapper's sender check and param validation. `electron` is replaced by a recorder of the
 * handlers registered on ipcMain (the Electron binary cannot run here); the stack behind it is real.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CALL, IPC_EVENT, IPC_SUBSCRIBE } from '../../../shared/ipc-channels';
import { silentLogger } from '../../stack/log/logger';
import { startStack, type Stack } from '../../stack/stack';
import { makeTempDir } from '../../stack/testing/temp-dir';
import { isTrustedFrame } from './trusted-sender';

type Handler = (event: unknown, ...args: unknown[]) => unknown;
const handlers = new Map<string, Handler>();
const listeners = new Map<string, Handler>();

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
    on: (channel: string, handler: Handler) => listeners.set(channel, handler),
    off: (channel: string) => listeners.delete(channel),
  },
}));

const frame = (url: string, parent: unknown = null) => ({ url, parent });
const appFrame = frame('app://bulkhead/index.html');

let stack: Stack;
let stop: () => void;
const dir = makeTempDir();

beforeAll(async () => {
  stack = await startStack({ dataDir: dir.path, role: 'test', log: silentLogger, monitorIntervalMs: 50 });
  const { serveContractOverIpc } = await import('./contract-ipc');
  stop = serveContractOverIpc(stack);
});
afterAll(async () => {
  stop();
  await stack.stop();
  dir.remove();
});

describe('trusted sender', () => {
  it('trusts only the top frame of app://bulkhead', () => {
    expect(isTrustedFrame(frame('app://bulkhead/index.html') as never)).toBe(true);
    expect(isTrustedFrame(frame('https://evil.example/') as never)).toBe(false);
    expect(isTrustedFrame(frame('file:///etc/passwd') as never)).toBe(false);
    expect(isTrustedFrame(frame('app://bulkhead/index.html', appFrame) as never)).toBe(false);
    expect(isTrustedFrame(null)).toBe(false);
  });
});

describe('contract over IPC', () => {
  const call = (senderFrame: unknown, method: unknown, params: unknown) => handlers.get(IPC_CALL)!({ senderFrame }, method, params);

  it('drops calls from an untrusted frame without running the handler', async () => {
    expect(await call(frame('https://evil.example/'), 'app.info', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('validates params like every transport', async () => {
    expect(await call(appFrame, 'runtime.history', { limit: 0 })).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });
    expect(await call(appFrame, 'rm -rf', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('answers a trusted call with the transport named ipc', async () => {
    expect(await call(appFrame, 'app.info', {})).toMatchObject({ ok: true, result: { transport: 'ipc' } });
  });

  it('forwards subscribed events to the window and stops when it is destroyed', async () => {
    const received: unknown[][] = [];
    const onceHandlers = new Map<string, () => void>();
    const sender = {
      id: 7,
      isDestroyed: () => false,
      send: (...args: unknown[]) => received.push(args),
      once: (name: string, fn: () => void) => onceHandlers.set(name, fn),
      on: () => undefined,
    };
    listeners.get(IPC_SUBSCRIBE)!({ senderFrame: appFrame, sender }, 'runtime.sample');
    listeners.get(IPC_SUBSCRIBE)!({ senderFrame: frame('https://evil.example/'), sender: { ...sender, id: 8 } }, 'runtime.sample');
    await vi.waitFor(() => expect(received.length).toBeGreaterThan(0));
    expect(received[0]![0]).toBe(IPC_EVENT);
    expect(received[0]![1]).toBe('runtime.sample');
    expect(stack.hub.listenerCount('runtime.sample')).toBe(1);
    onceHandlers.get('destroyed')!();
    expect(stack.hub.listenerCount('runtime.sample')).toBe(0);
  });
});
