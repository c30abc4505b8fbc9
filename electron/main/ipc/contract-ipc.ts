import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { isEventName, type EventName } from '../../../shared/contract';
import type { CallReply } from '../../../shared/wire';
import type { Stack } from '../../stack/stack';
import { IPC_CALL, IPC_EVENT, IPC_SUBSCRIBE, IPC_UNSUBSCRIBE } from '../../../shared/ipc-channels';
import { isTrustedFrame } from './trusted-sender';

const UNTRUSTED: CallReply = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'This frame may not call Bulkhead.' },
};

/**
 * The one wrapper every IPC handler goes through (the only file allowed to import ipcMain, by lint):
 * sender checked, params parsed by the shared dispatcher, events forwarded per subscribing window and
 * dropped when it goes away. Returns the function that removes all of it.
 */
export function serveContractOverIpc(stack: Stack): () => void {
  const perContents = new Map<number, Map<EventName, () => void>>();

  const onCall = async (event: IpcMainInvokeEvent, method: unknown, params: unknown): Promise<CallReply> => {
    if (!isTrustedFrame(event.senderFrame)) return UNTRUSTED;
    return stack.dispatcher.dispatch(method, params, { transport: 'ipc' });
  };

  const onSubscribe = (event: IpcMainEvent, name: unknown): void => {
    if (!isTrustedFrame(event.senderFrame) || !isEventName(name)) return;
    const contents = event.sender;
    const subscriptions = subscriptionsFor(contents);
    if (subscriptions.has(name)) return;
    subscriptions.set(
      name,
      stack.hub.subscribe(name, (payload) => {
        if (!contents.isDestroyed()) contents.send(IPC_EVENT, name, payload);
      }),
    );
  };

  const onUnsubscribe = (event: IpcMainEvent, name: unknown): void => {
    if (!isEventName(name)) return;
    const subscriptions = perContents.get(event.sender.id);
    subscriptions?.get(name)?.();
    subscriptions?.delete(name);
  };

  const subscriptionsFor = (contents: WebContents): Map<EventName, () => void> => {
    let subscriptions = perContents.get(contents.id);
    if (!subscriptions) {
      subscriptions = new Map();
      perContents.set(contents.id, subscriptions);
      const id = contents.id;
      contents.once('destroyed', () => dropAll(id));
      // A reload starts a fresh renderer that subscribes again.
      contents.on('did-start-navigation', (details) => {
        if (details.isMainFrame && !details.isSameDocument) dropAll(id);
      });
    }
    return subscriptions;
  };

  const dropAll = (id: number): void => {
    for (const unsubscribe of perContents.get(id)?.values() ?? []) unsubscribe();
    perContents.delete(id);
  };

  ipcMain.handle(IPC_CALL, onCall);
  ipcMain.on(IPC_SUBSCRIBE, onSubscribe);
  ipcMain.on(IPC_UNSUBSCRIBE, onUnsubscribe);
  return () => {
    ipcMain.removeHandler(IPC_CALL);
    ipcMain.off(IPC_SUBSCRIBE, onSubscribe);
    ipcMain.off(IPC_UNSUBSCRIBE, onUnsubscribe);
    for (const id of [...perContents.keys()]) dropAll(id);
  };
}
