import { ProviderHttpPool } from '../../providers/http-pool';
import type { ProviderName } from '../../providers/provider-types';
import type { ModelsResponse, ProviderDoctorContext } from './provider-doctor-context';

const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** The API version header Anthropic requires on every request (the client sends the same). */
export const ANTHROPIC_VERSION = '2023-06-01';

/**
 * GET the models list the way the provider client talks to the provider: the same pool class, the same
 * proxy route, the key attached only through `revealFor` (so only for its own origin). Costs nothing.
 * The pool is closed by the caller's cleanup.
 */
export async function requestModels(context: ProviderDoctorContext, signal: AbortSignal): Promise<ModelsResponse> {
  const url = context.modelsUrl as URL;
  const pool = modelsPool(context);
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'bulkhead-doctor' };
  const provider: ProviderName = context.input.provider;
  if (provider === 'anthropic') headers['anthropic-version'] = ANTHROPIC_VERSION;
  const key = context.key && !context.keyWithheld ? context.key : null;
  if (key) {
    const secret = key.revealFor(pool.origin);
    if (provider === 'openai') headers.authorization = `Bearer ${secret}`;
    else headers['x-api-key'] = secret;
  }
  const started = performance.now();
  const response = await pool.request({ path: `${url.pathname}${url.search}`, method: 'GET', headers, signal, headersTimeout: 10_000, bodyTimeout: 10_000 });
  const status = response.statusCode;
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  let text = '';
  let size = 0;
  try {
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) break;
      text += (chunk as Buffer).toString('utf8');
    }
  } finally {
    if (!response.body.destroyed && !response.body.readableEnded) response.body.destroy();
  }
  const ms = performance.now() - started;
  return { status, headers: flat, text, json: parseJson(text), ms, keySent: key !== null };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** One pool per diagnosis, reused by the latency step (keep-alive), closed at the end. */
function modelsPool(context: ProviderDoctorContext): ProviderHttpPool {
  if (!context.pool) {
    const url = context.modelsUrl as URL;
    const pool = new ProviderHttpPool(url.origin, { connections: 1, connectTimeoutMs: 10_000, ...(context.route ? { proxy: context.route } : {}) });
    context.pool = pool;
    context.cleanups.push(() => pool.close({ destroy: true }));
  }
  return context.pool;
}
