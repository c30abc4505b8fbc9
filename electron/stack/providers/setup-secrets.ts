import type { SecretEntry, SecretName, secretsMethods } from '../../../shared/contract/secrets';
import { SECRET_NAMES } from '../../../shared/contract/secrets';
import type { SecretStore } from '../secrets/secret-store';
import type { Feature, HandlersOf } from '../service/feature';
import { API_KEY_ENV, BASE_URL_ENV, decodeStoredKey, encodeStoredKey, envBinding } from './api-keys';
import { DEFAULT_BASE_URLS } from './base-url';
import { maskApiKey } from './bound-api-key';
import type { ProviderName } from './provider-types';

const PROVIDERS: Record<SecretName, { label: string; provider: ProviderName }> = {
  'provider.openai.apiKey': { label: 'OpenAI API key', provider: 'openai' },
  'provider.anthropic.apiKey': { label: 'Anthropic API key', provider: 'anthropic' },
};

/** What the secrets feature uses; the stack passes its core. */
export interface SecretsFeatureCore {
  readonly secrets: SecretStore;
  /** Whether a key is also set in the environment (and where it is bound) shows in the list. */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Secrets in, masked previews out: no handler ever returns a stored value. A key is saved together with
 * the base URL it is bound to (default: the provider's official API); the binding can only change by
 * sending the key again, so a caller holding a session can replace a key but never redirect one.
 */
export function setupSecrets({ secrets, env }: SecretsFeatureCore): Feature<HandlersOf<typeof secretsMethods>> {
  const entry = async (name: SecretName): Promise<SecretEntry> => {
    const { label, provider } = PROVIDERS[name];
    const raw = await secrets.get(name);
    const stored = raw === undefined ? undefined : decodeStoredKey(raw);
    const baseUrl = stored ? (stored.baseUrl ?? DEFAULT_BASE_URLS[provider]) : null;
    const envSet = Boolean(env[API_KEY_ENV[provider]]?.trim());
    return {
      name,
      label,
      stored: stored !== undefined,
      preview: stored === undefined ? null : maskApiKey(stored.key),
      envVariable: API_KEY_ENV[provider],
      envSet,
      officialBaseUrl: DEFAULT_BASE_URLS[provider],
      boundOrigin: baseUrl === null ? null : new URL(baseUrl).origin,
      baseUrl,
      envBaseUrlVariable: BASE_URL_ENV[provider],
      envBoundOrigin: envSet ? envOrigin(provider, env) : null,
    };
  };
  const handlers: HandlersOf<typeof secretsMethods> = {
    'secrets.list': async () => ({
      storage: secrets.describe(),
      secrets: await Promise.all(SECRET_NAMES.map(entry)),
    }),
    'secrets.set': async ({ name, value, baseUrl }) => {
      await secrets.set(name, encodeStoredKey({ key: value, baseUrl: baseUrl ?? null }));
      return entry(name);
    },
    'secrets.delete': async ({ name }) => ({ deleted: await secrets.delete(name) }),
  };
  return { handlers };
}

function envOrigin(provider: ProviderName, env: NodeJS.ProcessEnv): string {
  try {
    return new URL(envBinding(provider, env).baseUrl).origin;
  } catch {
    // A bad OPENAI_BASE_URL: runs will say so; the list shows where the key will not go.
    return `(${BASE_URL_ENV[provider]} is not a valid URL)`;
  }
}
