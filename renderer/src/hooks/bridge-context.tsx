import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
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
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => bridge.subscribe(event, (payload) => latest.current(payload)), [bridge, event]);
}

/** The newest payload of an event stream, or null until one arrives. */
export function useLatestEvent<E extends EventName>(event: E): PayloadOf<E> | null {
  const [value, setValue] = useState<PayloadOf<E> | null>(null);
  useEvent(event, setValue);
  return value;
}

export function useConnectionState(): ConnectionState {
  const bridge = useBridge();
  const [state, setState] = useState(bridge.connectionState);
  useEffect(() => {
    const unsubscribe = bridge.onConnectionState(setState);
    setState(bridge.connectionState); // it may have changed between render and subscription
    return unsubscribe;
  }, [bridge]);
  return state;
}
