import { TARGET_METHODS, TEMPLATE_VARIABLES } from '../../../../shared/contract/stress-target';
import { FieldError } from '../../components/FieldError';
import type { TargetErrors, TargetSetup } from './target-setup';

interface Props {
  target: TargetSetup;
  errors: TargetErrors | undefined;
  busy: boolean;
  onChange: (target: TargetSetup) => void;
}

/** The HTTP endpoint a run loads: URL, method, headers, body template, expected status, timeout, connections. */
export function TargetFields({ target, errors = {}, busy, onChange }: Props) {
  const set = <K extends keyof TargetSetup>(key: K, value: TargetSetup[K]): void => onChange({ ...target, [key]: value });
  const described = (id: string, error: unknown) => ({ 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? id : undefined });
  return (
    <fieldset className="target-fields" data-testid="target-fields">
      <legend>HTTP endpoint</legend>
      <div className="form-grid">
        <label className="span-2">
          URL
          <input
            type="url"
            placeholder="http://127.0.0.1:8080/v1/chat"
            value={target.url}
            onChange={(e) => set('url', e.target.value)}
            disabled={busy}
            {...described('target-url-error', errors.url)}
            data-testid="target-url"
          />
          <FieldError id="target-url-error" message={errors.url} />
        </label>
        <label>
          Method
          <select value={target.method} onChange={(e) => set('method', e.target.value as TargetSetup['method'])} disabled={busy} data-testid="target-method">
            <option value="">POST with a body, else GET</option>
            {TARGET_METHODS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          Expected status
          <input value={target.expectStatus} onChange={(e) => set('expectStatus', e.target.value)} disabled={busy} {...described('target-status-error', errors.expectStatus)} data-testid="target-status" />
          <FieldError id="target-status-error" message={errors.expectStatus} />
        </label>
        <label>
          Timeout (s)
          <input inputMode="decimal" value={target.timeoutS} onChange={(e) => set('timeoutS', e.target.value)} disabled={busy} {...described('target-timeout-error', errors.timeoutS)} data-testid="target-timeout" />
          <FieldError id="target-timeout-error" message={errors.timeoutS} />
        </label>
        <label>
          Connections
          <input inputMode="numeric" value={target.connections} onChange={(e) => set('connections', e.target.value)} disabled={busy} {...described('target-connections-error', errors.connections)} data-testid="target-connections" />
          <FieldError id="target-connections-error" message={errors.connections} />
        </label>
      </div>
      <label>
        <span>
          Headers — one <code>Name: value</code> per line; values that look like secrets are masked in the stored run
        </span>
        <textarea rows={2} spellCheck={false} value={target.headers} onChange={(e) => set('headers', e.target.value)} disabled={busy} {...described('target-headers-error', errors.headers)} data-testid="target-headers" />
        <FieldError id="target-headers-error" message={errors.headers} />
      </label>
      <label>
        <span>
          Body — {TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(', ')} are filled per request (a sample question, the arrival number, a UUID)
        </span>
        <textarea rows={3} spellCheck={false} value={target.body} onChange={(e) => set('body', e.target.value)} disabled={busy} {...described('target-body-error', errors.body)} data-testid="target-body" />
        <FieldError id="target-body-error" message={errors.body} />
      </label>
    </fieldset>
  );
}
