import { useState } from 'react';
import { BridgeError, type AlertRule, type MetricReading } from '../../../../shared/contract';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useBridge } from '../../hooks/bridge-context';
import { describeRule } from './alert-format';

type ThresholdRule = Extract<AlertRule, { kind: 'threshold' }>;
type TrendRule = Extract<AlertRule, { kind: 'trend' }>;

interface Props {
  /** The rules in force; the editor starts from them (re-mount it with a new key after a save). */
  initial: readonly AlertRule[];
  metrics: readonly MetricReading[];
  onSaved: (rules: AlertRule[]) => void;
}

/** A number field's text as the rule stores it: empty → undefined (optional fields) or NaN (the server names it). */
const num = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

/**
 * The alert rules as an editable table. Nothing is checked here beyond the types: the stack validates
 * the whole list with the contract's schema and answers with the path of each bad field, which is
 * shown on that field (e.g. rule 3's clear threshold on the wrong side of its threshold).
 */
export function RuleEditor({ initial, metrics, onSaved }: Props) {
  const bridge = useBridge();
  const [draft, setDraft] = useState<AlertRule[]>(() => initial.map((rule) => ({ ...rule })));
  const [fieldErrors, setFieldErrors] = useState<Map<string, string>>(new Map());
  const [error, setError] = useState<BridgeError | null>(null);
  const [saving, setSaving] = useState(false);
  const [newKind, setNewKind] = useState<AlertRule['kind']>('threshold');
  const dirty = JSON.stringify(draft) !== JSON.stringify(initial);

  const update = (index: number, patch: Partial<ThresholdRule> | Partial<TrendRule>): void => {
    setDraft((rules) => rules.map((rule, i) => (i === index ? ({ ...rule, ...patch } as AlertRule) : rule)));
  };
  const remove = (index: number): void => setDraft((rules) => rules.filter((_, i) => i !== index));
  const add = (): void => {
    const id = uniqueId(draft);
    const base = { id, name: 'New rule', enabled: true, severity: 'warning' as const, clearForSec: 5, description: '' };
    setDraft((rules) => [
      ...rules,
      newKind === 'threshold'
        ? { ...base, kind: 'threshold', metric: 'pool.waiting', op: '>', threshold: 0, forSec: 5 }
        : { ...base, kind: 'trend', metric: 'runtime.rssMb', windowSec: 300, minSlopePerMin: 5, minR2: 0.8, clearForSec: 60 },
    ]);
  };

  const save = async (rules: AlertRule[], method: 'alerts.rules.set' | 'alerts.rules.reset'): Promise<void> => {
    setSaving(true);
    setError(null);
    setFieldErrors(new Map());
    try {
      const saved = method === 'alerts.rules.set' ? await bridge.call('alerts.rules.set', { rules }) : await bridge.call('alerts.rules.reset', {});
      onSaved(saved);
    } catch (thrown) {
      const bridgeError = thrown instanceof BridgeError ? thrown : new BridgeError({ code: 'INTERNAL', message: String(thrown) });
      setError(bridgeError);
      setFieldErrors(new Map((bridgeError.issues ?? []).map((issue) => [issue.path.replace(/^rules\./, ''), issue.message])));
    } finally {
      setSaving(false);
    }
  };

  const fieldProps = (index: number, field: string, className?: string) => {
    const message = fieldErrors.get(`${index}.${field}`);
    const classes = [className, message ? 'field-invalid' : undefined].filter(Boolean).join(' ');
    return { className: classes || undefined, title: message, 'aria-invalid': message ? true : undefined, 'data-field': `${index}.${field}` };
  };

  return (
    <div className="card rule-editor" data-testid="rule-editor">
      <div className="rule-editor-head">
        <h2>Rules</h2>
        <div className="page-actions">
          <select value={newKind} onChange={(e) => setNewKind(e.target.value as AlertRule['kind'])} aria-label="kind of rule to add">
            <option value="threshold">threshold rule</option>
            <option value="trend">trend rule</option>
          </select>
          <button type="button" onClick={add}>
            Add rule
          </button>
          <button type="button" onClick={() => void save([], 'alerts.rules.reset')} disabled={saving} data-testid="rules-reset">
            Reset to defaults
          </button>
          <button type="button" className="primary" onClick={() => void save(draft, 'alerts.rules.set')} disabled={saving || !dirty} data-testid="rules-save">
            {saving ? 'Saving…' : dirty ? 'Save rules' : 'Saved'}
          </button>
        </div>
      </div>
      {error ? <ErrorNotice error={error} /> : null}
      <datalist id="metric-names">
        {metrics.map((m) => (
          <option key={m.name} value={m.name}>{`${m.description} (now ${m.value}${m.unit ? ` ${m.unit}` : ''})`}</option>
        ))}
      </datalist>
      <div className="rule-table-wrap">
      <table className="data rule-table">
        <thead>
          <tr>
            <th>on</th>
            <th>rule</th>
            <th>metric · severity</th>
            <th>fires when</th>
            <th>for / window</th>
            <th>clears when</th>
            <th aria-label="remove" />
          </tr>
        </thead>
        <tbody>
          {draft.map((rule, index) => (
            <tr key={`${rule.id}-${index}`} data-rule-id={rule.id} title={rule.description || describeRule(rule)}>
              <td>
                <input type="checkbox" checked={rule.enabled} onChange={(e) => update(index, { enabled: e.target.checked })} aria-label={`enable ${rule.name}`} />
              </td>
              <td>
                <input value={rule.name} onChange={(e) => update(index, { name: e.target.value })} {...fieldProps(index, 'name', 'rule-name')} aria-label="rule name" />
                <div className="muted rule-id">
                  <input value={rule.id} onChange={(e) => update(index, { id: e.target.value })} {...fieldProps(index, 'id')} aria-label="rule id" />
                </div>
              </td>
              <td>
                <input list="metric-names" value={rule.metric} onChange={(e) => update(index, { metric: e.target.value })} {...fieldProps(index, 'metric', 'rule-metric')} aria-label="metric" />
                <div className="rule-severity">
                  <select value={rule.severity} onChange={(e) => update(index, { severity: e.target.value as AlertRule['severity'] })} aria-label="severity" className={`severity-${rule.severity}`}>
                    <option value="warning">warning</option>
                    <option value="critical">critical</option>
                  </select>
                </div>
              </td>
              {rule.kind === 'threshold' ? <ThresholdCells rule={rule} index={index} update={update} fieldProps={fieldProps} /> : <TrendCells rule={rule} index={index} update={update} fieldProps={fieldProps} />}
              <td>
                <button type="button" onClick={() => remove(index)} aria-label={`remove ${rule.name}`}>
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      {fieldErrors.size > 0 ? (
        <ul className="rule-errors" data-testid="rule-errors">
          {[...fieldErrors].map(([path, message]) => (
            <li key={path}>
              rule {Number(path.split('.')[0]) + 1}, <code>{path.split('.').slice(1).join('.') || 'rule'}</code>: {message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

type FieldProps = (index: number, field: string, className?: string) => Record<string, unknown>;

function ThresholdCells({ rule, index, update, fieldProps }: { rule: ThresholdRule; index: number; update: (i: number, p: Partial<ThresholdRule>) => void; fieldProps: FieldProps }) {
  return (
    <>
      <td className="rule-condition">
        <select value={rule.op} onChange={(e) => update(index, { op: e.target.value as ThresholdRule['op'] })} aria-label="comparison">
          {(['>', '>=', '<', '<='] as const).map((op) => (
            <option key={op} value={op}>
              {op}
            </option>
          ))}
        </select>
        <input type="number" value={Number.isNaN(rule.threshold) ? '' : rule.threshold} onChange={(e) => update(index, { threshold: num(e.target.value) })} {...fieldProps(index, 'threshold')} aria-label="threshold" />
      </td>
      <td className="rule-nowrap">
        <input type="number" min={0} value={Number.isNaN(rule.forSec) ? '' : rule.forSec} onChange={(e) => update(index, { forSec: num(e.target.value) })} {...fieldProps(index, 'forSec')} aria-label="for seconds" /> s
      </td>
      <td className="rule-condition">
        past
        <input
          type="number"
          placeholder={String(rule.threshold)}
          value={rule.clearThreshold ?? ''}
          onChange={(e) => update(index, { clearThreshold: e.target.value.trim() === '' ? undefined : num(e.target.value) })}
          {...fieldProps(index, 'clearThreshold')}
          aria-label="clear threshold"
        />
        for
        <input type="number" min={0} value={Number.isNaN(rule.clearForSec) ? '' : rule.clearForSec} onChange={(e) => update(index, { clearForSec: num(e.target.value) })} {...fieldProps(index, 'clearForSec')} aria-label="clear for seconds" /> s
      </td>
    </>
  );
}

function TrendCells({ rule, index, update, fieldProps }: { rule: TrendRule; index: number; update: (i: number, p: Partial<TrendRule>) => void; fieldProps: FieldProps }) {
  return (
    <>
      <td className="rule-condition">
        slope ≥
        <input type="number" value={Number.isNaN(rule.minSlopePerMin) ? '' : rule.minSlopePerMin} onChange={(e) => update(index, { minSlopePerMin: num(e.target.value) })} {...fieldProps(index, 'minSlopePerMin')} aria-label="minimum slope per minute" />
        /min, R² ≥
        <input type="number" step={0.05} min={0} max={1} value={Number.isNaN(rule.minR2) ? '' : rule.minR2} onChange={(e) => update(index, { minR2: num(e.target.value) })} {...fieldProps(index, 'minR2')} aria-label="minimum R squared" />
      </td>
      <td className="rule-nowrap">
        <input type="number" min={10} value={Number.isNaN(rule.windowSec) ? '' : rule.windowSec} onChange={(e) => update(index, { windowSec: num(e.target.value) })} {...fieldProps(index, 'windowSec')} aria-label="window seconds" /> s
      </td>
      <td className="rule-condition">
        trend gone for
        <input type="number" min={0} value={Number.isNaN(rule.clearForSec) ? '' : rule.clearForSec} onChange={(e) => update(index, { clearForSec: num(e.target.value) })} {...fieldProps(index, 'clearForSec')} aria-label="clear for seconds" /> s
      </td>
    </>
  );
}

function uniqueId(rules: readonly AlertRule[]): string {
  for (let n = 1; ; n++) {
    const id = `rule-${n}`;
    if (!rules.some((rule) => rule.id === id)) return id;
  }
}
