import { useCallback, useEffect, useRef, useState } from 'react';
import type { BridgeError } from '../../../shared/contract';
import type { AppBridge } from '../bridge/bridge';
import { useBridge } from './bridge-context';
import { toBridgeError } from './to-bridge-error';

export interface ActionState<A extends unknown[], R> {
  /**
   * Runs the action. Never rejects: a failure lands in `error` (and resolves undefined), so a click handler
   * can `void run()` without an unhandled rejection.
   */
  run: (...args: A) => Promise<R | undefined>;
  /** True while any run is in flight. */
  pending: boolean;
  /** The last run's error, cleared when the next run starts. */
  error: BridgeError | null;
  /** The last successful run's result. */
  result: R | null;
  /** Forgets error and result (e.g. when the form it belongs to is edited again). */
  reset: () => void;
}

export interface ActionOptions<A extends unknown[], R> {
  /** Called after a successful run, with its result and its arguments (as a tuple). */
  onSuccess?: (result: NoInfer<R>, args: NoInfer<A>) => void;
}

/**
 * A mutation through the bridge with its pending, error and result state: the one place that turns a
 * rejection into a BridgeError and a pending flag, instead of a try/catch/finally per button. Results of
 * runs that settle after the component unmounted are dropped.
 */
export function useAction<A extends unknown[], R>(work: (bridge: AppBridge, ...args: A) => Promise<R>, options: ActionOptions<A, R> = {}): ActionState<A, R> {
  const bridge = useBridge();
  const [pendingCount, setPendingCount] = useState(0);
  const [error, setError] = useState<BridgeError | null>(null);
  const [result, setResult] = useState<R | null>(null);
  const mounted = useRef(true);
  // The latest work and callbacks, so `run` keeps one identity while the component re-renders.
  const latest = useRef({ work, options });
  useEffect(() => {
    latest.current = { work, options };
  });
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(
    async (...args: A): Promise<R | undefined> => {
      setPendingCount((n) => n + 1);
      setError(null);
      try {
        const value = await latest.current.work(bridge, ...args);
        if (mounted.current) {
          setResult(() => value);
          latest.current.options.onSuccess?.(value, args);
        }
        return value;
      } catch (thrown) {
        if (mounted.current) setError(toBridgeError(thrown));
        return undefined;
      } finally {
        if (mounted.current) setPendingCount((n) => n - 1);
      }
    },
    [bridge],
  );
  const reset = useCallback(() => {
    setError(null);
    setResult(null);
  }, []);

  return { run, pending: pendingCount > 0, error, result, reset };
}
