/**
 * The preload: exposes exactly the contract on `window.bulkhead` — one function per method, a
 * `subscribe` that returns its unsubscribe function — and nothing else. No ipcRenderer, no event
 * objects, no Node. Bundled to CommonJS because sandboxed preloads cannot load ES modules.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { eventNames, isEventName, methodNames, type EventName } from '../../shared/contract';
import type { PreloadApi } from '../../shared/bridge';
import { IPC_CALL, IPC_EVENT, IPC_SUBSCRIBE, IPC_UNSUBSCRIBE } from '../../shared/ipc-channels';
import { EventSubscriptions } from '../../shared/subscriptions';

// The same ref-counted listener sets as the browser host's bridge: main hears one subscribe per event.
const subscriptions = new EventSubscriptions<EventName>({
  open: (event) => ipcRenderer.send(IPC_SUBSCRIBE, event),
  close: (event) => ipcRenderer.send(IPC_UNSUBSCRIBE, event),
});

ipcRenderer.on(IPC_EVENT, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (isEventName(name)) subscriptions.deliver(name, payload);
});

const api: PreloadApi = {
  methods: Object.freeze(
    Object.fromEntries(methodNames.map((name) => [name, (params: unknown) => ipcRenderer.invoke(IPC_CALL, name, params)])),
  ) as PreloadApi['methods'],
  events: Object.freeze([...eventNames]),
  subscribe(event, listener) {
    if (!isEventName(event) || typeof listener !== 'function') throw new TypeError(`unknown event ${String(event)}`);
    return subscriptions.add(event, listener);
  },
};

contextBridge.exposeInMainWorld('bulkhead', api);
