import { TOXIC_TYPES, ToxicSchema, type ToxicInput, type ToxicType } from '../../../../shared/contract/chaos';
import { BulkheadError } from '../../errors';

/** The attribute `TYPE=VALUE` sets, and the other attributes each type accepts. */
const MAIN_ATTRIBUTE: Record<ToxicType, string> = {
  latency: 'latency',
  bandwidth: 'rate',
  timeout: 'timeout',
  reset_peer: 'timeout',
  slow_close: 'delay',
  limit_data: 'bytes',
  slicer: 'average_size',
};
const OTHER_ATTRIBUTES: Record<ToxicType, readonly string[]> = {
  latency: ['jitter'],
  bandwidth: [],
  timeout: [],
  reset_peer: [],
  slow_close: [],
  limit_data: [],
  slicer: ['size_variation', 'delay'],
};
const COMMON_KEYS = ['toxicity', 'name'] as const;

export const TOXIC_SPEC_HELP = `[upstream:|downstream:]TYPE=VALUE[,KEY=VALUE...]   (default stream: downstream, server → client)
  latency=MS[,jitter=MS]        hold each chunk MS (± jitter) after it arrived
  bandwidth=KBPS                pass at most KBPS kilobytes (1000 B) per second
  timeout=MS                    swallow all data; close after MS (0 = hang until removed)
  reset_peer=MS                 reset (RST) the connection MS after the first data (0 = at once)
  slow_close=MS                 hold the close (FIN) for MS
  limit_data=BYTES              close the connection after BYTES in this direction
  slicer=BYTES[,size_variation=BYTES,delay=MICROSECONDS]   cut data into small slices
  any toxic: toxicity=P (0–1, share of connections it applies to), name=NAME
  examples: latency=200,jitter=50   upstream:timeout=0   reset_peer=500,toxicity=0.2   bandwidth=64`;

/**
 * Parses a toxic written on the command line (or typed at the running proxy), e.g.
 * `upstream:latency=200,jitter=50,toxicity=0.5`, into the contract's toxic shape.
 */
export function parseToxicSpec(spec: string): ToxicInput {
  const fail = (problem: string): never => {
    throw new BulkheadError('TOXIC_INVALID', `Toxic ${JSON.stringify(spec)}: ${problem}.`, { remedy: `Write it as ${TOXIC_SPEC_HELP}` });
  };
  let text = spec.trim();
  let stream: 'upstream' | 'downstream' | undefined;
  const prefix = /^(upstream|downstream|up|down):/i.exec(text);
  if (prefix) {
    stream = prefix[1]!.toLowerCase().startsWith('up') ? 'upstream' : 'downstream';
    text = text.slice(prefix[0].length);
  }
  const [head = '', ...rest] = text.split(',').map((part) => part.trim());
  const [rawType = '', mainValue] = head.split('=');
  const type = rawType.toLowerCase().replace('-', '_') as ToxicType;
  if (!(TOXIC_TYPES as readonly string[]).includes(type)) fail(`unknown type ${JSON.stringify(rawType)}; use one of ${TOXIC_TYPES.join(', ')}`);

  const attributes: Record<string, number> = {};
  const toNumber = (key: string, value: string | undefined): number => {
    if (value === undefined || value.trim() === '' || !Number.isFinite(Number(value))) fail(`${key} needs a number, got ${JSON.stringify(value ?? '')}`);
    return Number(value);
  };
  if (mainValue !== undefined) attributes[MAIN_ATTRIBUTE[type]] = toNumber(MAIN_ATTRIBUTE[type], mainValue);
  let toxicity: number | undefined;
  let name: string | undefined;
  const allowed = [MAIN_ATTRIBUTE[type], ...OTHER_ATTRIBUTES[type], ...COMMON_KEYS];
  for (const part of rest) {
    if (part === '') continue;
    const [key = '', value] = part.split('=');
    if (!allowed.includes(key)) fail(`${type} has no ${JSON.stringify(key)}; it takes ${allowed.join(', ')}`);
    if (key === 'name') name = value;
    else if (key === 'toxicity') toxicity = toNumber(key, value);
    else attributes[key] = toNumber(key, value);
  }
  if (attributes[MAIN_ATTRIBUTE[type]] === undefined) fail(`give ${type} a value, e.g. ${type}=${type === 'bandwidth' ? 100 : type === 'limit_data' ? 4096 : 200}`);

  const candidate = { type, attributes, ...(stream ? { stream } : {}), ...(toxicity === undefined ? {} : { toxicity }), ...(name ? { name } : {}) };
  const parsed = ToxicSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.filter((p) => p !== 'attributes').join('.') || 'toxic';
    fail(`${field}: ${issue?.message ?? 'invalid'}`);
  }
  return candidate as ToxicInput;
}
