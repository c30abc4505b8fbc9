/**
 * The preload and the browser host must expose the same contract. Electron's binary cannot run on the
 * machines where this suite runs, so `electron` is replaced here by a recorder of what the preload
 * hands to contextBridge and ipcRenderer — the boundary we cannot reach — while the host side is real.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { eventNames, methodNames } from '../../shared/contract';
import type { PreloadApi } from '../../shared/bridge';
import { IPC_CALL, IPC_SUBSCRIBE, IPC_UNSUBSCRIBE } from '../../shared/ipc-channels';
import type { ServerMessage } from '../../shared/wire';
import { startHostServer } from '../host/host-server';
import { silentLogger } from '../stack/log/logger';
import { startStack } from '../stack/stack';
import { makeTempDir } from '../stack/testing/temp-dir';

const exposed = new Map<string, unknown>();
const invoked: unknown[][] = [];
const sent: unknown[][] = [];

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => {
      invoked.push(args);
      return Promise.resolve({ ok: true, result: null });
    },
    send: (...args: unknown[]) => sent.push(args),
    on: () => undefined,
  },
}));

let api: PreloadApi;
beforeAll(async () => {
  await import('./index');
  api = exposed.get('bulkhead') as PreloadApi;
});

describe('preload surface', () => {
  it('puts exactly one object on window: bulkhead', () => {
    expect([...exposed.keys()]).toEqual(['bulkhead']);
    expect(Object.keys(api).sort()).toEqual(['events', 'methods', 'subscribe']);
  });

  it('exposes one function per contract method and nothing else', () => {
    expect(Object.keys(api.methods).sort()).toEqual(methodNames);
    expect(Object.isFrozen(api.methods)).toBe(true);
    expect([...api.events]).toEqual(eventNames);
  });

  it('forwards a call on the one call channel, without the IPC event object', async () => {
    await api.methods['app.info']({});
    expect(invoked.at(-1)).toEqual([IPC_CALL, 'app.info', {}]);
  });

  it('subscribes once per event and returns the unsubscribe function', () => {
    const first = api.subscribe('runtime.sample', () => undefined);
    const second = api.subscribe('runtime.sample', () => undefined);
    expect(sent.filter(([channel]) => channel === IPC_SUBSCRIBE)).toEqual([[IPC_SUBSCRIBE, 'runtime.sample']]);
    first();
    expect(sent.some(([channel]) => channel === IPC_UNSUBSCRIBE)).toBe(false);
    second();
    expect(sent.at(-1)).toEqual([IPC_UNSUBSCRIBE, 'runtime.sample']);
    expect(() => api.subscribe('no.such' as never, () => undefined)).toThrow(TypeError);
  });
});

describe('IPC and WebSocket carry the same method set', () => {
  const dir = makeTempDir();
  afterAll(() => dir.remove());

  it('the host greets with the same methods the preload exposes', async () => {
    mkdirSync(join(dir.path, 'renderer'), { recursive: true });
    writeFileSync(join(dir.path, 'renderer', 'index.html'), '<!doctype html>');
    const stack = await startStack({ dataDir: join(dir.path, 'data'), role: 'test', log: silentLogger });
    const server = await startHostServer({ dispatcher: stack.dispatcher, hub: stack.hub, rendererDir: join(dir.path, 'renderer') });
    try {
      const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
      const hello = await new Promise<ServerMessage>((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)) as ServerMessage)));
      socket.close();
      expect(hello.type).toBe('hello');
      if (hello.type !== 'hello') return;
      expect(hello.methods).toEqual(Object.keys(api.methods).sort());
      expect(hello.events).toEqual([...api.events]);
      expect(stack.dispatcher.methodNames).toEqual(hello.methods);
    } finally {
      await server.close();
      await stack.stop();
    }
  });
});
