import type { FieldProps, ThresholdRule, TrendRule } from './use-rule-draft';

/** A number field's text as the rule stores it: empty → NaN (the server names the field). */
const num = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

/** A threshold rule's cells: comparison and value, how long it must hold, and when it clears. */
export function ThresholdCells({ rule, index, update, fieldProps }: { rule: ThresholdRule; index: number; update: (i: number, p: Partial<ThresholdRule>) => void; fieldProps: FieldProps }) {
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

/** A trend rule's cells: minimum slope and fit, the window, and how long the trend must be gone. */
export function TrendCells({ rule, index, update, fieldProps }: { rule: TrendRule; index: number; update: (i: number, p: Partial<TrendRule>) => void; fieldProps: FieldProps }) {
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
