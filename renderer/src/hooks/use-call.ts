import { useCallback, useEffect, useState } from 'react';
import type { BridgeError, MethodName, ParamsOf, ResultOf } from '../../../shared/contract';
import { useBridge } from './bridge-context';
import { toBridgeError } from './to-bridge-error';

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

/**
 * Calls a contract method on mount (and when params or `key` change); `reload` calls it again. `params`
 * null means "not yet" (say, until an id is known): nothing is called and nothing is loading.
 */
export function useCall<M extends MethodName>(method: M, params: ParamsOf<M> | null, key = ''): CallState<M> {
  const bridge = useBridge();
  const [nonce, setNonce] = useState(0);
  const paramsKey = params === null ? null : JSON.stringify(params);
  const requestKey = `${method}|${paramsKey}|${key}|${nonce}`;
  const [settled, setSettled] = useState<Settled<M> | null>(null);

  useEffect(() => {
    if (paramsKey === null) return;
    let live = true;
    bridge
      .call(method, JSON.parse(paramsKey) as ParamsOf<M>)
      .then((data) => {
        if (live) setSettled({ requestKey, data, error: null });
      })
      .catch((error: unknown) => {
        if (live) setSettled({ requestKey, data: null, error: toBridgeError(error) });
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
    loading: paramsKey !== null && settled?.requestKey !== requestKey,
    reload,
  };
}
