import { useState } from 'react';
import type { ToxicInput, ToxicType } from '../../../../shared/contract';

interface Field {
  readonly key: string;
  readonly label: string;
  readonly unit: string;
  readonly initial: number;
}

/** The attributes each toxic takes, with Toxiproxy's names and a sensible first value. */
const FIELDS: Record<ToxicType, readonly Field[]> = {
  latency: [
    { key: 'latency', label: 'latency', unit: 'ms', initial: 200 },
    { key: 'jitter', label: 'jitter ±', unit: 'ms', initial: 0 },
  ],
  bandwidth: [{ key: 'rate', label: 'rate', unit: 'KB/s', initial: 100 }],
  timeout: [{ key: 'timeout', label: 'close after', unit: 'ms (0 = hang)', initial: 0 }],
  reset_peer: [{ key: 'timeout', label: 'reset after', unit: 'ms', initial: 0 }],
  slow_close: [{ key: 'delay', label: 'delay', unit: 'ms', initial: 1000 }],
  limit_data: [{ key: 'bytes', label: 'limit', unit: 'bytes', initial: 4096 }],
  slicer: [
    { key: 'average_size', label: 'slice', unit: 'bytes', initial: 64 },
    { key: 'size_variation', label: '±', unit: 'bytes', initial: 16 },
    { key: 'delay', label: 'gap', unit: 'µs', initial: 100 },
  ],
};

const HINT: Record<ToxicType, string> = {
  latency: 'delay every chunk',
  bandwidth: 'throttle throughput',
  timeout: 'swallow all data (blackhole)',
  reset_peer: 'TCP reset after the first data',
  slow_close: 'hold the close',
  limit_data: 'close after N bytes',
  slicer: 'cut data into small pieces',
};

/** Builds one toxic (Toxiproxy's shape) and hands it to `onAdd`; the stack validates it. */
export function ToxicForm({ onAdd, busy }: { onAdd: (toxic: ToxicInput) => void; busy: boolean }) {
  const [type, setType] = useState<ToxicType>('latency');
  const [stream, setStream] = useState<'downstream' | 'upstream'>('downstream');
  const [toxicity, setToxicity] = useState('1');
  const [values, setValues] = useState<Record<string, string>>({});
  const fields = FIELDS[type];
  const valueOf = (field: Field): string => values[`${type}.${field.key}`] ?? String(field.initial);

  const submit = (): void => {
    const attributes = Object.fromEntries(fields.map((field) => [field.key, Number(valueOf(field))]));
    onAdd({ type, stream, toxicity: Number(toxicity), attributes } as ToxicInput);
  };

  return (
    <form
      className="toxic-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label>
        toxic
        <select value={type} onChange={(e) => setType(e.target.value as ToxicType)} data-testid="toxic-type">
          {(Object.keys(FIELDS) as ToxicType[]).map((t) => (
            <option key={t} value={t}>
              {t} — {HINT[t]}
            </option>
          ))}
        </select>
      </label>
      <label>
        direction
        <select value={stream} onChange={(e) => setStream(e.target.value as 'downstream' | 'upstream')}>
          <option value="downstream">server → client</option>
          <option value="upstream">client → server</option>
        </select>
      </label>
      {fields.map((field) => (
        <label key={field.key}>
          {field.label} ({field.unit})
          <input
            type="number"
            value={valueOf(field)}
            onChange={(e) => setValues((v) => ({ ...v, [`${type}.${field.key}`]: e.target.value }))}
            data-testid={`toxic-${field.key}`}
          />
        </label>
      ))}
      <label>
        toxicity
        <input type="number" min={0} max={1} step={0.1} value={toxicity} onChange={(e) => setToxicity(e.target.value)} title="share of connections the toxic applies to" />
      </label>
      <button type="submit" className="primary" disabled={busy} data-testid="toxic-add">
        Add toxic
      </button>
    </form>
  );
}
