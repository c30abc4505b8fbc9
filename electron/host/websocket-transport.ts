import type { WebSocket } from 'ws';
import { eventNames, isEventName, type BridgeErrorData, type EventName } from '../../shared/contract';
import { ClientMessageSchema, type ServerMessage } from '../../shared/wire';
import type { EventHub } from '../stack/events/event-hub';
import type { Dispatcher } from '../stack/service/dispatcher';
import { quoteInput } from '../stack/service/quote-input';

/** Past this many unsent bytes a client is too slow: events are dropped for it until it catches up. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * Pushed events over one WebSocket connection: the client subscribes to event streams and receives
 * them. Calls never travel here — they go over `POST /rpc` (see shared/wire.ts for why). Every inbound
 * frame is validated; a bad one gets a structured error and the connection stays open. Subscriptions
 * end with the socket.
 */
export function serveEventsOverWebSocket(socket: WebSocket, dispatcher: Dispatcher, hub: EventHub): void {
  const subscriptions = new Map<EventName, () => void>();
  const send = (message: ServerMessage): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const sendError = (error: BridgeErrorData): void => send({ type: 'error', error });

  send({ type: 'hello', methods: [...dispatcher.methodNames], events: [...eventNames] });

  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      sendError({ code: 'BAD_MESSAGE', message: 'Binary frames are not part of the protocol; send JSON text.' });
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(data.toString());
    } catch {
      sendError({ code: 'BAD_MESSAGE', message: 'The message is not valid JSON.' });
      return;
    }
    const parsed = ClientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const isCall = typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'call';
      sendError({
        code: 'BAD_MESSAGE',
        message: isCall
          ? 'Calls are not served over the WebSocket; send them as POST /rpc {method, params}.'
          : 'The message does not match the protocol: expected {type:"subscribe"|"unsubscribe", event}.',
      });
      return;
    }
    const message = parsed.data;
    if (!isEventName(message.event)) {
      if (message.type === 'subscribe') {
        sendError({ code: 'UNKNOWN_EVENT', message: `Unknown event ${quoteInput(message.event)}.`, remedy: `Use one of: ${eventNames.join(', ')}.` });
      }
      return;
    }
    const event = message.event;
    if (message.type === 'unsubscribe') {
      subscriptions.get(event)?.();
      subscriptions.delete(event);
      return;
    }
    if (subscriptions.has(event)) return;
    subscriptions.set(
      event,
      hub.subscribe(event, (payload) => {
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) return;
        send({ type: 'event', event, payload });
      }),
    );
  });

  socket.on('close', () => {
    for (const unsubscribe of subscriptions.values()) unsubscribe();
    subscriptions.clear();
  });
  socket.on('error', () => socket.terminate());
}
