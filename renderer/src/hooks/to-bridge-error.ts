import { BridgeError } from '../../../shared/contract';

/**
 * Whatever a call rejected with, as the BridgeError the UI knows how to show. Transports already reject with
 * BridgeError; anything else (a bug, a thrown string) becomes INTERNAL with its text, never an unhandled rejection.
 */
export function toBridgeError(thrown: unknown): BridgeError {
  if (thrown instanceof BridgeError) return thrown;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new BridgeError({ code: 'INTERNAL', message: message || 'Something failed without a message.' });
}
