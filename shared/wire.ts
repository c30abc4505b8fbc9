import { z } from 'zod';
import { BridgeErrorSchema } from './contract/errors';

/**
 * How the contract travels. One call path per transport: Electron calls over `ipcRenderer.invoke`, the
 * browser host over `POST /rpc`; both answer with a CallReply. The browser host's WebSocket carries only
 * pushed events (ClientMessage / ServerMessage below), never calls: a fetch is what browsers and headless
 * screenshot tools wait for before they call a page loaded, it needs no request ids, and one call path
 * means one place where calls are checked.
 */

/** The answer to one call, whichever transport carried it. */
export const CallReplySchema = z.discriminatedUnion('ok', [
  // Optional: a method whose result is empty arrives as `{"ok":true}` once JSON drops the undefined.
  z.object({ ok: z.literal(true), result: z.unknown().optional() }),
  z.object({ ok: z.literal(false), error: BridgeErrorSchema }),
]);
export type CallReply = z.infer<typeof CallReplySchema>;

/** The body of `POST /rpc`. */
export const RpcRequestSchema = z.object({ method: z.string(), params: z.unknown().optional() });
export type RpcRequest = z.infer<typeof RpcRequestSchema>;

/** Browser → host over the WebSocket: which event streams to receive. */
export const ClientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), event: z.string() }),
  z.object({ type: z.literal('unsubscribe'), event: z.string() }),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

/** Host → browser over the WebSocket: the greeting, pushed events, and errors about bad frames. */
export const ServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), methods: z.array(z.string()), events: z.array(z.string()) }),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
  z.object({ type: z.literal('error'), error: BridgeErrorSchema }),
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
