import { z } from 'zod';
import { BridgeErrorSchema } from './contract/errors';

/**
 * The WebSocket framing of the contract. Electron IPC does not use it (ipcRenderer.invoke already pairs
 * requests with replies); the host and the renderer's WebSocket client both import it so neither can drift.
 */
export const ClientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), id: z.number().int().nonnegative(), method: z.string(), params: z.unknown() }),
  z.object({ type: z.literal('subscribe'), event: z.string() }),
  z.object({ type: z.literal('unsubscribe'), event: z.string() }),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

export const ServerMessageSchema = z.union([
  z.object({ type: z.literal('hello'), methods: z.array(z.string()), events: z.array(z.string()) }),
  z.object({ type: z.literal('result'), id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({ type: z.literal('result'), id: z.number().int().nullable(), ok: z.literal(false), error: BridgeErrorSchema }),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
