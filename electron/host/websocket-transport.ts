import type { WebSocket } from 'ws';
import { eventNames, isEventName, type BridgeErrorData, type EventName } from '../../shared/contract';
import { ClientMessageSchema, type ServerMessage } from '../../shared/wire';
import type { EventHub } from '../stack/events/event-hub';
import type { Dispatcher } from '../stack/service/dispatcher';

/** Past this many unsent bytes a client is too slow: events are dropped for it until it catches up. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * Carries the contract over one WebSocket connection: calls go to the shared dispatcher, pushed events
 * go out for the streams this client subscribed to. Every inbound frame is validated; a bad one gets a
 * structured error and the connection stays open. Subscriptions end with the socket.
 */
export function serveContractOverWebSocket(socket: WebSocket, dispatcher: Dispatcher, hub: EventHub): void {
  const subscriptions = new Map<EventName, () => void>();
  const send = (message: ServerMessage): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const sendError = (id: number | null, error: BridgeErrorData): void => send({ type: 'result', id, ok: false, error });

  send({ type: 'hello', methods: [...dispatcher.methodNames], events: [...eventNames] });

  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      sendError(null, { code: 'BAD_MESSAGE', message: 'Binary frames are not part of the protocol; send JSON text.' });
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(data.toString());
    } catch {
      sendError(null, { code: 'BAD_MESSAGE', message: 'The message is not valid JSON.' });
      return;
    }
    const parsed = ClientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : null;
      sendError(id, {
        code: 'BAD_MESSAGE',
        message: 'The message does not match the protocol: expected {type:"call", id, method, params} or {type:"subscribe"|"unsubscribe", event}.',
      });
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'call':
        void dispatcher.dispatch(message.method, message.params, { transport: 'websocket' }).then((outcome) => {
          if (outcome.ok) send({ type: 'result', id: message.id, ok: true, result: outcome.result });
          else sendError(message.id, outcome.error);
        });
        return;
      case 'subscribe': {
        if (!isEventName(message.event)) {
          sendError(null, { code: 'UNKNOWN_EVENT', message: `Unknown event ${JSON.stringify(message.event)}.`, remedy: `Use one of: ${eventNames.join(', ')}.` });
          return;
        }
        const event = message.event;
        if (subscriptions.has(event)) return;
        subscriptions.set(
          event,
          hub.subscribe(event, (payload) => {
            if (socket.bufferedAmount > MAX_BUFFERED_BYTES) return;
            send({ type: 'event', event, payload });
          }),
        );
        return;
      }
      case 'unsubscribe': {
        if (!isEventName(message.event)) return;
        subscriptions.get(message.event)?.();
        subscriptions.delete(message.event);
        return;
      }
    }
  });

  socket.on('close', () => {
    for (const unsubscribe of subscriptions.values()) unsubscribe();
    subscriptions.clear();
  });
  socket.on('error', () => socket.terminate());
}
