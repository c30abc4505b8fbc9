import { createContext, useContext, useEffect, useEffectEvent, useSyncExternalStore, type ReactNode } from 'react';
import type { EventName, PayloadOf } from '../../../shared/contract';
import type { AppBridge, ConnectionState } from '../bridge/bridge';

const BridgeContext = createContext<AppBridge | null>(null);

export function BridgeProvider({ bridge, children }: { bridge: AppBridge; children: ReactNode }) {
  return <BridgeContext.Provider value={bridge}>{children}</BridgeContext.Provider>;
}

export function useBridge(): AppBridge {
  const bridge = useContext(BridgeContext);
  if (!bridge) throw new Error('useBridge outside BridgeProvider');
  return bridge;
}

/** Subscribes to a pushed event for the component's lifetime; the latest listener is always used. */
export function useEvent<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): void {
  const bridge = useBridge();
  const onPayload = useEffectEvent(listener);
  useEffect(() => bridge.subscribe(event, (payload) => onPayload(payload)), [bridge, event]);
}

export function useConnectionState(): ConnectionState {
  const bridge = useBridge();
  return useSyncExternalStore(
    (onChange) => bridge.onConnectionState(onChange),
    () => bridge.connectionState,
  );
}
