import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { describeError, isBulkheadError } from '../../errors';
import { FAULT_KINDS, type FaultKind, type FaultSetting } from './faults';
import { parseJsonObject } from './sim-http';
import type { SimulatorEngine } from './sim-engine';

export const ADMIN_PREFIX = '/_sim/';
export const ADMIN_TOKEN_HEADER = 'x-sim-admin-token';

/**
 * The optional HTTP control surface, under /_sim/ so it can never be mistaken for a provider route,
 * and only with the per-launch token in `x-sim-admin-token`:
 *   GET    /_sim/state              snapshot (plain data)
 *   GET    /_sim/settings           current settings
 *   PATCH  /_sim/settings           partial settings (limits, latency, output, behaviour)
 *   POST   /_sim/faults             {kind, rate?, durationMs?, status?}
 *   DELETE /_sim/faults[/KIND]      clear one or all faults
 *   POST   /_sim/reset              refill buckets, zero counters
 */
export async function handleAdmin(engine: SimulatorEngine, token: string, req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
  const reply = (status: number, value: unknown): void => {
    const text = JSON.stringify(value);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
    res.end(text);
  };
  if (!tokenMatches(req.headers[ADMIN_TOKEN_HEADER], token)) {
    return reply(401, { error: `simulator admin needs the ${ADMIN_TOKEN_HEADER} header printed at start` });
  }
  const path = (req.url ?? '').split('?')[0] ?? '';
  const route = `${req.method ?? 'GET'} ${path}`;
  try {
    if (route === 'GET /_sim/state') return reply(200, engine.snapshot());
    if (route === 'GET /_sim/settings') return reply(200, engine.settings());
    if (route === 'PATCH /_sim/settings') return reply(200, engine.update(bodyObject(body)));
    if (route === 'POST /_sim/faults') {
      engine.setFault(bodyObject(body) as unknown as FaultSetting);
      return reply(200, { faults: engine.snapshot().faults });
    }
    if (route === 'DELETE /_sim/faults') {
      engine.clearFault();
      return reply(200, { faults: [] });
    }
    if (req.method === 'DELETE' && path.startsWith('/_sim/faults/')) {
      const kind = path.slice('/_sim/faults/'.length);
      if (!(FAULT_KINDS as readonly string[]).includes(kind)) return reply(400, { error: `unknown fault kind ${JSON.stringify(kind)}; one of ${FAULT_KINDS.join(', ')}` });
      engine.clearFault(kind as FaultKind);
      return reply(200, { faults: engine.snapshot().faults });
    }
    if (route === 'POST /_sim/reset') {
      engine.reset();
      return reply(200, { ok: true });
    }
    return reply(404, { error: `no simulator admin route ${route}` });
  } catch (error) {
    return reply(400, { error: isBulkheadError(error) ? error.message : describeError(error) });
  }
}

function bodyObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  const parsed = parseJsonObject(body);
  if (!parsed) throw new Error('body must be a JSON object');
  return parsed;
}

function tokenMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
