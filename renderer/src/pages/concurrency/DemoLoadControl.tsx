import { useEffect } from 'react';
import type { DemoLoadStatus } from '../../../../shared/contract';
import { useHashRoute } from '../../app/use-hash-route';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useAction } from '../../hooks/use-action';

const DEMO_SECONDS = 60;
/** Pages started with `?demo=N` in their hash (screenshots, docs) start the demo once. */
const autoStarted = new Set<string>();

/**
 * Starts and stops the demo load: demo.* semaphores, a worker pool and limiters driven by synthetic agents
 * against the built-in provider simulator, so the page shows live values before any real run.
 */
export function DemoLoadControl({ status, now }: { status: DemoLoadStatus | null; now: number }) {
  const { path, query } = useHashRoute();
  const start = useAction((bridge, durationSec: number) => bridge.call('concurrency.demo.start', { durationSec }));
  const stop = useAction((bridge) => bridge.call('concurrency.demo.stop', {}));
  const running = status?.running === true;
  const busy = start.pending || stop.pending;
  const error = start.error ?? stop.error;

  const requested = Number(query.get('demo'));
  const { run: startDemo } = start;
  useEffect(() => {
    if (!Number.isInteger(requested) || requested < 1 || status === null || status.running || autoStarted.has(path)) return;
    autoStarted.add(path);
    void startDemo(Math.min(requested, 3600));
  }, [startDemo, path, requested, status]);

  return (
    <div className="demo-control">
      {running ? (
        <>
          <span className="badge badge-warn" data-testid="demo-running">
            demo load · {status?.endsAt ? `${Math.max(0, Math.ceil((status.endsAt - now) / 1000))} s left` : 'running'}
          </span>
          <button type="button" onClick={() => void stop.run()} disabled={busy} data-testid="demo-stop">
            Stop demo
          </button>
        </>
      ) : (
        <button type="button" className="primary" onClick={() => void start.run(DEMO_SECONDS)} disabled={busy || status === null} data-testid="demo-start">
          Start demo load ({DEMO_SECONDS} s)
        </button>
      )}
      {error ? <ErrorNotice error={error} /> : null}
    </div>
  );
}
