import { useState } from 'react';
import type { SecretEntry } from '../../../../shared/contract/secrets';
import { ErrorNotice } from '../../components/ErrorNotice';
import type { AppBridge } from '../../bridge/bridge';
import { useAction } from '../../hooks/use-action';

interface Props {
  entry: SecretEntry;
  onChanged: () => void;
}

/** One provider key: its masked state, a password field to replace it, and remove. The value never comes back. */
export function ProviderKeyRow({ entry, onChanged }: Props) {
  const [value, setValue] = useState('');
  const action = useAction((bridge, change: (b: AppBridge) => Promise<unknown>) => change(bridge), {
    onSuccess: () => {
      setValue('');
      onChanged();
    },
  });
  const run = (change: (b: AppBridge) => Promise<unknown>): Promise<unknown> => action.run(change);
  const busy = action.pending;
  const error = action.error;

  return (
    <div className="secret-row" data-testid={`secret-${entry.name}`}>
      <div className="secret-head">
        <strong>{entry.label}</strong>
        {entry.stored ? <span className="badge badge-ok">saved {entry.preview}</span> : <span className="badge badge-muted">not saved</span>}
        {entry.envSet ? (
          <span className="badge badge-warn" title={`${entry.envVariable} is set in the environment Bulkhead started with; it wins over a saved key.`}>
            {entry.envVariable} set — it wins
          </span>
        ) : null}
      </div>
      <form
        className="secret-form"
        onSubmit={(event) => {
          event.preventDefault();
          void run((bridge) => bridge.call('secrets.set', { name: entry.name, value }));
        }}
      >
        <input
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder={entry.stored ? 'paste a new key to replace it' : 'paste the key'}
          value={value}
          onChange={(event) => setValue(event.target.value)}
          aria-label={`${entry.label} value`}
        />
        <button type="submit" className="primary" disabled={busy || value.trim() === ''}>
          Save
        </button>
        <button type="button" disabled={busy || !entry.stored} onClick={() => void run((bridge) => bridge.call('secrets.delete', { name: entry.name }))}>
          Remove
        </button>
      </form>
      {error ? <ErrorNotice error={error} /> : null}
    </div>
  );
}
