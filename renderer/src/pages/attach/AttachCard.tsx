import { useState } from 'react';
import { useCall } from '../../hooks/use-call';

/** Settings: the BULKHEAD_ATTACH line to give your agents, with a copy button. */
export function AttachCard() {
  const info = useCall('attach.info', {});
  const [copied, setCopied] = useState<boolean | null>(null);
  const line = info.data?.envLine ?? null;
  const copy = (): void => {
    if (!line || !navigator.clipboard) {
      setCopied(false);
      return;
    }
    navigator.clipboard.writeText(line).then(
      () => setCopied(true),
      () => setCopied(false), // no clipboard permission: the line stays visible to select by hand
    );
  };
  return (
    <div className="card" data-testid="attach-card">
      <h2>Attach your own processes</h2>
      <p className="muted">
        Start an agent with this variable set and, if it uses the bulkhead-governance library, its semaphores, limiters and pools
        appear on the Semaphores, Limiters and Pool pages within two seconds — no code change. The channel is report-only and
        loopback-only; the token is its own (not this tab's session). Other languages: docs/attach-protocol.md.
      </p>
      {info.data && !info.data.enabled ? <p className="text-warn">The attach endpoint is off in this Bulkhead (CLI or test run).</p> : null}
      {line ? (
        <div className="attach-line">
          <code data-testid="attach-env-line">{line}</code>
          <button type="button" onClick={copy} data-testid="attach-copy">
            {copied ? 'Copied' : 'Copy'}
          </button>
          {copied === false ? <span className="muted">Copy was refused; select the line by hand.</span> : null}
        </div>
      ) : null}
    </div>
  );
}
