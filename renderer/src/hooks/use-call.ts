import { useCallback, useEffect, useState } from 'react';
import { BridgeError, type MethodName, type ParamsOf, type ResultOf } from '../../../shared/contract';
import { useBridge } from './bridge-context';

export interface CallState<M extends MethodName> {
  data: ResultOf<M> | null;
  error: BridgeError | null;
  loading: boolean;
  reload: () => void;
}

interface Settled<M extends MethodName> {
  requestKey: string;
  data: ResultOf<M> | null;
  error: BridgeError | null;
}

/** Calls a contract method on mount (and when params or `key` change); `reload` calls it again. */
export function useCall<M extends MethodName>(method: M, params: ParamsOf<M>, key = ''): CallState<M> {
  const bridge = useBridge();
  const [nonce, setNonce] = useState(0);
  const paramsKey = JSON.stringify(params);
  const requestKey = `${method}|${paramsKey}|${key}|${nonce}`;
  const [settled, setSettled] = useState<Settled<M> | null>(null);

  useEffect(() => {
    let live = true;
    bridge
      .call(method, JSON.parse(paramsKey) as ParamsOf<M>)
      .then((data) => {
        if (live) setSettled({ requestKey, data, error: null });
      })
      .catch((error: unknown) => {
        const bridgeError = error instanceof BridgeError ? error : new BridgeError({ code: 'INTERNAL', message: String(error) });
        if (live) setSettled({ requestKey, data: null, error: bridgeError });
      });
    return () => {
      live = false;
    };
  }, [bridge, method, paramsKey, requestKey]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  // Until the current request settles, keep showing the previous answer, flagged as loading.
  return {
    data: settled?.data ?? null,
    error: settled?.requestKey === requestKey ? settled.error : null,
    loading: settled?.requestKey !== requestKey,
    reload,
  };
}
