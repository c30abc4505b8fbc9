/**
 * The preload: exposes exactly the contract on `window.bulkhead` — one function per method, a
 * `subscribe` that returns its unsubscribe function — and nothing else. No ipcRenderer, no event
 * objects, no Node. Bundled to CommonJS because sandboxed preloads cannot load ES modules.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { eventNames, isEventName, methodNames, type EventName } from '../../shared/contract';
import type { PreloadApi } from '../../shared/bridge';
import { IPC_CALL, IPC_EVENT, IPC_SUBSCRIBE, IPC_UNSUBSCRIBE } from '../../shared/ipc-channels';

const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

ipcRenderer.on(IPC_EVENT, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (!isEventName(name)) return;
  for (const listener of listeners.get(name) ?? []) listener(payload);
});

const api: PreloadApi = {
  methods: Object.freeze(
    Object.fromEntries(methodNames.map((name) => [name, (params: unknown) => ipcRenderer.invoke(IPC_CALL, name, params)])),
  ) as PreloadApi['methods'],
  events: Object.freeze([...eventNames]),
  subscribe(event, listener) {
    if (!isEventName(event) || typeof listener !== 'function') throw new TypeError(`unknown event ${String(event)}`);
    let set = listeners.get(event);
    if (!set) {
      set = new Set();
      listeners.set(event, set);
      ipcRenderer.send(IPC_SUBSCRIBE, event);
    }
    set.add(listener);
    return () => {
      const current = listeners.get(event);
      current?.delete(listener);
      if (current && current.size === 0) {
        listeners.delete(event);
        ipcRenderer.send(IPC_UNSUBSCRIBE, event);
      }
    };
  },
};

contextBridge.exposeInMainWorld('bulkhead', api);
