import { BulkheadError } from '../../errors';
import { FAULT_KINDS, type FaultKind, type FaultSetting } from './faults';

const ALIASES: Record<string, { kind: FaultKind; status?: 500 | 502 | 503 }> = {
  '5xx': { kind: 'server-error' },
  '500': { kind: 'server-error', status: 500 },
  '502': { kind: 'server-error', status: 502 },
  '503': { kind: 'server-error', status: 503 },
  '529': { kind: 'overload' },
  ...Object.fromEntries(FAULT_KINDS.map((kind) => [kind, { kind }])),
};

export const FAULT_SPEC_HELP = `KIND[=RATE][@SECONDS], KIND one of 5xx (or 500/502/503), overload (or 529), hang, reset, stream-error;
RATE the share of requests hit (0–1, default 1); SECONDS how long it stays on (default: until stopped).
Examples: 5xx=0.1   overload=0.3@30   hang@10   reset=0.05   stream-error=0.5`;

/** Parses a fault given on the command line, e.g. `overload=0.3@30` (30 % of requests get 529 for 30 s). */
export function parseFaultSpec(spec: string): FaultSetting {
  const match = /^([a-z0-9-]+)(?:=([0-9.]+))?(?:@([0-9.]+)s?)?$/i.exec(spec.trim());
  const alias = match ? ALIASES[(match[1] ?? '').toLowerCase()] : undefined;
  if (!match || !alias) {
    throw new BulkheadError('simulator.invalid_fault', `Fault ${JSON.stringify(spec)} is not understood.`, { remedy: `Write it as ${FAULT_SPEC_HELP}` });
  }
  const rate = match[2] === undefined ? 1 : Number(match[2]);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new BulkheadError('simulator.invalid_fault', `Fault ${JSON.stringify(spec)}: the rate must be between 0 and 1.`, { remedy: 'Use e.g. 5xx=0.1 for 10 % of requests.' });
  }
  const seconds = match[3] === undefined ? undefined : Number(match[3]);
  if (seconds !== undefined && (!Number.isFinite(seconds) || seconds <= 0)) {
    throw new BulkheadError('simulator.invalid_fault', `Fault ${JSON.stringify(spec)}: the duration must be a positive number of seconds.`, { remedy: 'Use e.g. hang@10 for ten seconds.' });
  }
  return {
    kind: alias.kind,
    rate,
    ...(seconds === undefined ? {} : { durationMs: seconds * 1000 }),
    ...(alias.status === undefined ? {} : { status: alias.status }),
  };
}
