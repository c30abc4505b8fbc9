import { useEffect, useState } from 'react';
import { BridgeError, type DemoLoadStatus } from '../../../../shared/contract';
import { useHashRoute } from '../../app/use-hash-route';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useBridge } from '../../hooks/bridge-context';

const DEMO_SECONDS = 60;
/** Pages started with `?demo=N` in their hash (screenshots, docs) start the demo once. */
const autoStarted = new Set<string>();

/**
 * Starts and stops the demo load: demo.* semaphores, a worker pool and limiters driven by synthetic agents
 * against the built-in provider simulator, so the page shows live values before any real run.
 */
export function DemoLoadControl({ status, now }: { status: DemoLoadStatus | null; now: number }) {
  const bridge = useBridge();
  const { path, query } = useHashRoute();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<BridgeError | null>(null);
  const running = status?.running === true;

  const call = (method: 'concurrency.demo.start' | 'concurrency.demo.stop', durationSec = DEMO_SECONDS): void => {
    setBusy(true);
    setError(null);
    const request = method === 'concurrency.demo.start' ? bridge.call(method, { durationSec }) : bridge.call(method, {});
    request
      .catch((failure: unknown) => setError(failure instanceof BridgeError ? failure : new BridgeError({ code: 'INTERNAL', message: String(failure) })))
      .finally(() => setBusy(false));
  };

  const requested = Number(query.get('demo'));
  useEffect(() => {
    if (!Number.isInteger(requested) || requested < 1 || status === null || status.running || autoStarted.has(path)) return;
    autoStarted.add(path);
    void bridge.call('concurrency.demo.start', { durationSec: Math.min(requested, 3600) });
  }, [bridge, path, requested, status]);

  return (
    <div className="demo-control">
      {running ? (
        <>
          <span className="badge badge-warn" data-testid="demo-running">
            demo load · {status?.endsAt ? `${Math.max(0, Math.ceil((status.endsAt - now) / 1000))} s left` : 'running'}
          </span>
          <button type="button" onClick={() => call('concurrency.demo.stop')} disabled={busy} data-testid="demo-stop">
            Stop demo
          </button>
        </>
      ) : (
        <button type="button" className="primary" onClick={() => call('concurrency.demo.start')} disabled={busy || status === null} data-testid="demo-start">
          Start demo load ({DEMO_SECONDS} s)
        </button>
      )}
      {error ? <ErrorNotice error={error} /> : null}
    </div>
  );
}
