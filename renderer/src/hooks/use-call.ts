import { useCallback, useEffect, useState } from 'react';
import { BridgeError, type MethodName, type ParamsOf, type ResultOf } from '../../../shared/contract';
import { useBridge } from './bridge-context';

export interface CallState<M extends MethodName> {
  data: ResultOf<M> | null;
  error: BridgeError | null;
  loading: boolean;
  reload: () => void;
}

/** Calls a contract method on mount (and when `key` changes); `reload` calls it again. */
export function useCall<M extends MethodName>(method: M, params: ParamsOf<M>, key = ''): CallState<M> {
  const bridge = useBridge();
  const [state, setState] = useState<Omit<CallState<M>, 'reload'>>({ data: null, error: null, loading: true });
  const [nonce, setNonce] = useState(0);
  const paramsKey = JSON.stringify(params);
  useEffect(() => {
    let live = true;
    setState((previous) => ({ ...previous, loading: true }));
    bridge
      .call(method, JSON.parse(paramsKey) as ParamsOf<M>)
      .then((data) => live && setState({ data, error: null, loading: false }))
      .catch((error: unknown) => {
        const bridgeError = error instanceof BridgeError ? error : new BridgeError({ code: 'INTERNAL', message: String(error) });
        if (live) setState({ data: null, error: bridgeError, loading: false });
      });
    return () => {
      live = false;
    };
  }, [bridge, method, paramsKey, key, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...state, reload };
}
