/**
 * The preload and the browser host must expose the same contract. Electron's binary cannot run on the
 * machines where this suite runs, so `electron` is replaced here by a recorder of what the preload
 * hands to contextBridge and ipcRenderer — the boundary we cannot reach — while the host side is real.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { eventNames, methodNames } from '../../shared/contract';
import type { PreloadApi } from '../../shared/bridge';
import { IPC_CALL, IPC_SUBSCRIBE, IPC_UNSUBSCRIBE } from '../../shared/ipc-channels';
import { connectEvents, openSession, startTestHost } from '../host/testing/host-fixture';

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

describe('IPC and the browser host carry the same method set', () => {
  it('the host greets with the same methods the preload exposes', async () => {
    const host = await startTestHost();
    try {
      const { socket, hello } = await connectEvents(host, { credential: await openSession(host) });
      socket.close();
      expect(hello.type).toBe('hello');
      if (hello.type !== 'hello') return;
      expect(hello.methods).toEqual(Object.keys(api.methods).sort());
      expect(hello.events).toEqual([...api.events]);
      expect(host.stack.dispatcher.methodNames).toEqual(hello.methods);
    } finally {
      await host.stop();
    }
  });
});
