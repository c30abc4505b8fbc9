import { useState } from 'react';
import type { SecretEntry } from '../../../../shared/contract/secrets';
import { ErrorNotice } from '../../components/ErrorNotice';
import type { AppBridge } from '../../bridge/bridge';
import { useAction } from '../../hooks/use-action';

interface Props {
  entry: SecretEntry;
  onChanged: () => void;
}

/**
 * One provider key: its masked state and the one origin it is sent to, a password field to replace it
 * with an optional base URL to bind it to, and remove. The value never comes back.
 */
export function ProviderKeyRow({ entry, onChanged }: Props) {
  const [value, setValue] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const action = useAction((bridge, change: (b: AppBridge) => Promise<unknown>) => change(bridge), {
    onSuccess: () => {
      setValue('');
      setBaseUrl('');
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
        {entry.stored ? (
          <span className="badge badge-ok" data-testid="secret-binding" title="The saved key is sent to this origin and to no other.">
            saved {entry.preview} → {entry.boundOrigin}
          </span>
        ) : (
          <span className="badge badge-muted">not saved</span>
        )}
        {entry.envSet ? (
          <span
            className="badge badge-warn"
            title={`${entry.envVariable} is set in the environment Bulkhead started with; it wins over a saved key and is sent only to ${entry.envBoundOrigin ?? '?'} (set ${entry.envBaseUrlVariable} to bind it elsewhere).`}
          >
            {entry.envVariable} set — it wins → {entry.envBoundOrigin}
          </span>
        ) : null}
      </div>
      <form
        className="secret-form"
        onSubmit={(event) => {
          event.preventDefault();
          const bound = baseUrl.trim();
          void run((bridge) => bridge.call('secrets.set', { name: entry.name, value, ...(bound === '' ? {} : { baseUrl: bound }) }));
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
        <input
          type="url"
          className="secret-origin"
          autoComplete="off"
          spellCheck={false}
          placeholder={`bound to ${entry.officialBaseUrl}`}
          value={baseUrl}
          onChange={(event) => setBaseUrl(event.target.value)}
          aria-label={`${entry.label} bound to (base URL)`}
          title="The only origin this key will be sent to. Leave empty for the provider's official API; give a base URL (e.g. https://openrouter.ai/api/v1 or http://127.0.0.1:8080/v1) to bind the key to a compatible endpoint instead."
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
