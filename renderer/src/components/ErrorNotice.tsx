import type { BridgeError } from '../../../shared/contract';

/** A contract error as the user should see it: what happened, and what to do about it. */
export function ErrorNotice({ error }: { error: BridgeError }) {
  return (
    <div className="notice notice-bad" role="alert">
      <strong>{error.message}</strong>
      {error.remedy ? <div className="notice-remedy">{error.remedy}</div> : null}
      <code className="notice-code">{error.code}</code>
    </div>
  );
}
