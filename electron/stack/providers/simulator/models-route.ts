import { ANTHROPIC_MESSAGES, anthropicError } from './anthropic-wire';
import { OPENAI_ERRORS } from './openai-wire';
import { requestApiKey, sendJson } from './sim-http';
import type { SimulatorEngine } from './sim-engine';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The models the simulator serves (what stress runs and the demo call). */
export const SIMULATED_MODELS = ['gpt-4o-mini', 'gpt-4o', 'claude-sonnet-4-5', 'claude-haiku-4-5'] as const;
const CREATED_S = 1_700_000_000;

/**
 * GET /v1/models as each API answers it: OpenAI's `{object:"list", data:[{id, object, created, owned_by}]}`
 * with Bearer auth, or — when the request carries `anthropic-version` — Anthropic's `{data:[{type, id,
 * display_name, created_at}], has_more, first_id, last_id}` with x-api-key. No key: 401 in that API's
 * shape. The answer carries the current rate-limit headers without spending anything (a models list is
 * free), so a doctor can read the limits.
 */
export function handleModels(engine: SimulatorEngine, req: IncomingMessage, res: ServerResponse, tag: string): void {
  const anthropic = typeof req.headers['anthropic-version'] === 'string';
  const now = engine.clock.now();
  if (!requestApiKey(req)) {
    const body = anthropic ? anthropicError('authentication_error', ANTHROPIC_MESSAGES.missingKey, `req_${tag}`) : OPENAI_ERRORS.missingKey;
    return sendJson(res, 401, {}, JSON.stringify(body), engine);
  }
  if (anthropic) {
    const data = SIMULATED_MODELS.map((id) => ({ type: 'model', id, display_name: id, created_at: new Date(CREATED_S * 1000).toISOString() }));
    const headers = { ...engine.anthropic.headers(now), 'request-id': `req_${tag}` };
    return sendJson(res, 200, headers, JSON.stringify({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null }), engine);
  }
  const data = SIMULATED_MODELS.map((id) => ({ id, object: 'model', created: CREATED_S, owned_by: 'bulkhead-simulator' }));
  return sendJson(res, 200, { ...engine.openai.headers(now), 'x-request-id': `req_${tag}` }, JSON.stringify({ object: 'list', data }), engine);
}
