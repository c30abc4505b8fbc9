import type { AlertRule, MetricReading } from '../../../../shared/contract';
import { ErrorNotice } from '../../components/ErrorNotice';
import { describeRule } from './alert-format';
import { ThresholdCells, TrendCells } from './RuleCells';
import { useRuleDraft } from './use-rule-draft';

interface Props {
  /** The rules in force; the editor starts from them (re-mount it with a new key after a save). */
  initial: readonly AlertRule[];
  metrics: readonly MetricReading[];
  onSaved: (rules: AlertRule[]) => void;
}

/**
 * The alert rules as an editable table. Nothing is checked here beyond the types: the stack validates
 * the whole list with the contract's schema and answers with the path of each bad field, which is
 * shown on that field (e.g. rule 3's clear threshold on the wrong side of its threshold).
 */
export function RuleEditor({ initial, metrics, onSaved }: Props) {
  const rules = useRuleDraft(initial, onSaved);
  const { draft, update, fieldProps } = rules;

  return (
    <div className="card rule-editor" data-testid="rule-editor">
      <div className="rule-editor-head">
        <h2>Rules</h2>
        <div className="page-actions">
          <select value={rules.newKind} onChange={(e) => rules.setNewKind(e.target.value as AlertRule['kind'])} aria-label="kind of rule to add">
            <option value="threshold">threshold rule</option>
            <option value="trend">trend rule</option>
          </select>
          <button type="button" onClick={rules.add}>
            Add rule
          </button>
          <button type="button" onClick={rules.resetToDefaults} disabled={rules.saving} data-testid="rules-reset">
            Reset to defaults
          </button>
          <button type="button" className="primary" onClick={rules.save} disabled={rules.saving || !rules.dirty} data-testid="rules-save">
            {rules.saving ? 'Saving…' : rules.dirty ? 'Save rules' : 'Saved'}
          </button>
        </div>
      </div>
      {rules.error ? <ErrorNotice error={rules.error} /> : null}
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
                  <input list="metric-names" value={rule.metric} onChange={(e) => update(index, { metric: e.target.value })} {...fieldProps(index, 'metric', 'rule-metric')} aria-label="metric" title={rule.metric} />
                  <div className="rule-severity">
                    <select value={rule.severity} onChange={(e) => update(index, { severity: e.target.value as AlertRule['severity'] })} aria-label="severity" className={`severity-${rule.severity}`}>
                      <option value="warning">warning</option>
                      <option value="critical">critical</option>
                    </select>
                  </div>
                </td>
                {rule.kind === 'threshold' ? <ThresholdCells rule={rule} index={index} update={update} fieldProps={fieldProps} /> : <TrendCells rule={rule} index={index} update={update} fieldProps={fieldProps} />}
                <td>
                  <button type="button" className="rule-remove" onClick={() => rules.remove(index)} aria-label={`remove ${rule.name}`}>
                    ×
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rules.fieldErrors.size > 0 ? (
        <ul className="rule-errors" data-testid="rule-errors">
          {[...rules.fieldErrors].map(([path, message]) => (
            <li key={path}>
              rule {Number(path.split('.')[0]) + 1}, <code>{path.split('.').slice(1).join('.') || 'rule'}</code>: {message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
