import { configuredModel, MODEL_ENV } from '../../../providers/configured-model';
import { fail, pass, skip, warn } from '../../doctor-step';
import type { ProviderStepDefinition } from '../provider-doctor-context';

/** Anthropic lists dated ids (claude-haiku-4-5-20251001); the alias without the date names the same model. */
const DATED_SUFFIX = /^-\d{8}$/;

/** Step 9: the model runs call (BULKHEAD_*_MODEL, or --model) is in the list this key may use. */
export const modelStep: ProviderStepDefinition = {
  id: 'model',
  title: 'Model access',
  deadlineMs: 1_000,
  async run(context) {
    const response = context.response;
    const { provider, env, model: asked } = context.input;
    const wanted = asked?.trim() ? { model: asked.trim(), from: 'the model asked for' } : configuredModel(provider, env);
    if (!response || response.status < 200 || response.status >= 300) return skip(`no models list to look in (${wanted.model})`);
    const ids = modelIds(response.json);
    if (ids === null) return warn(`the models list is not in the usual shape ({data:[{id}]}); cannot check ${wanted.model}`, 'The server is compatible only in part; a chat call is the real test.', 'MODELS_UNREADABLE');
    const exact = ids.includes(wanted.model);
    const dated = exact ? undefined : ids.find((id) => id.startsWith(wanted.model) && DATED_SUFFIX.test(id.slice(wanted.model.length)));
    const evidence = [`${ids.length} models listed${ids.length > 0 ? `: ${ids.slice(0, 8).join(', ')}${ids.length > 8 ? ', …' : ''}` : ''}`];
    if (exact) return pass(`${wanted.model} (${wanted.from}) is available to this key`, evidence);
    if (dated) return pass(`${wanted.model} (${wanted.from}) is available as ${dated}`, evidence);
    const close = closest(wanted.model, ids);
    const variable = MODEL_ENV[provider];
    return fail(
      `${wanted.model} (${wanted.from}) is not in the models this key may use`,
      ids.length === 0
        ? "The key's project has no models enabled: allow models for it in the provider's dashboard."
        : `Set ${variable} to a listed model${close.length > 0 ? `, e.g. ${close.join(', ')}` : ''}, or enable ${wanted.model} for the key's project.`,
      'model_not_found',
      evidence,
      false,
    );
  },
};

function modelIds(json: unknown): string[] | null {
  if (!json || typeof json !== 'object') return null;
  const data = (json as { data?: unknown }).data;
  if (!Array.isArray(data)) return null;
  return data.map((entry) => (entry && typeof entry === 'object' ? (entry as { id?: unknown }).id : undefined)).filter((id): id is string => typeof id === 'string');
}

/** Up to three listed ids sharing the longest prefix with the wanted one (gpt-4o-mni → gpt-4o-mini). */
function closest(wanted: string, ids: readonly string[]): string[] {
  const shared = (id: string): number => {
    let n = 0;
    while (n < id.length && n < wanted.length && id[n] === wanted[n]) n += 1;
    return n;
  };
  return [...ids].sort((a, b) => shared(b) - shared(a) || a.length - b.length).filter((id) => shared(id) >= 3).slice(0, 3);
}
