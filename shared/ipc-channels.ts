/** The only IPC channels Bulkhead uses; the preload and main both import these names. */
export const IPC_CALL = 'bulkhead:call';
export const IPC_SUBSCRIBE = 'bulkhead:subscribe';
export const IPC_UNSUBSCRIBE = 'bulkhead:unsubscribe';
export const IPC_EVENT = 'bulkhead:event';
