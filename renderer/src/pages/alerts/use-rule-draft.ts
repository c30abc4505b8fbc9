import { useState } from 'react';
import type { AlertRule } from '../../../../shared/contract';
import { useAction } from '../../hooks/use-action';

export type ThresholdRule = Extract<AlertRule, { kind: 'threshold' }>;
export type TrendRule = Extract<AlertRule, { kind: 'trend' }>;
export type RulePatch = Partial<ThresholdRule> | Partial<TrendRule>;

/** The props a rule field gets: its error (red border, tooltip) and a stable `data-field` for tests. */
export type FieldProps = (index: number, field: string, className?: string) => Record<string, unknown>;

/**
 * The state of the rule editor: a draft of the rules, edited in place, saved (or reset to the defaults)
 * through the contract. The stack validates the whole list and answers with each bad field's path
 * (`rules.3.clearThreshold`), which is mapped back to the field it names.
 */
export function useRuleDraft(initial: readonly AlertRule[], onSaved: (rules: AlertRule[]) => void) {
  const [draft, setDraft] = useState<AlertRule[]>(() => initial.map((rule) => ({ ...rule })));
  const [newKind, setNewKind] = useState<AlertRule['kind']>('threshold');
  const save = useAction((bridge, rules: AlertRule[] | 'defaults') => (rules === 'defaults' ? bridge.call('alerts.rules.reset', {}) : bridge.call('alerts.rules.set', { rules })), {
    onSuccess: (saved) => onSaved(saved),
  });
  const fieldErrors = new Map((save.error?.issues ?? []).map((issue) => [issue.path.replace(/^rules\./, ''), issue.message]));
  const dirty = JSON.stringify(draft) !== JSON.stringify(initial);

  const update = (index: number, patch: RulePatch): void => {
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
  const fieldProps: FieldProps = (index, field, className) => {
    const message = fieldErrors.get(`${index}.${field}`);
    const classes = [className, message ? 'field-invalid' : undefined].filter(Boolean).join(' ');
    return { className: classes || undefined, title: message, 'aria-invalid': message ? true : undefined, 'data-field': `${index}.${field}` };
  };

  return {
    draft,
    dirty,
    newKind,
    setNewKind,
    update,
    remove,
    add,
    fieldProps,
    fieldErrors,
    saving: save.pending,
    error: save.error,
    save: () => void save.run(draft),
    resetToDefaults: () => void save.run('defaults'),
  };
}

function uniqueId(rules: readonly AlertRule[]): string {
  for (let n = 1; ; n++) {
    const id = `rule-${n}`;
    if (!rules.some((rule) => rule.id === id)) return id;
  }
}
