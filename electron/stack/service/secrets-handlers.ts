import type { SecretEntry, SecretName } from '../../../shared/contract/secrets';
import { SECRET_NAMES } from '../../../shared/contract/secrets';
import { API_KEY_ENV, maskApiKey } from '../providers/api-keys';
import type { SecretStore } from '../secrets/secret-store';
import type { HandlersFor } from './handlers';

const LABELS: Record<SecretName, { label: string; env: string }> = {
  'provider.openai.apiKey': { label: 'OpenAI API key', env: API_KEY_ENV.openai },
  'provider.anthropic.apiKey': { label: 'Anthropic API key', env: API_KEY_ENV.anthropic },
};

/** Secrets in, masked previews out: no handler ever returns a stored value. */
export function createSecretsHandlers(
  secrets: SecretStore,
  env: NodeJS.ProcessEnv,
): HandlersFor<'secrets.list' | 'secrets.set' | 'secrets.delete'> {
  const entry = async (name: SecretName): Promise<SecretEntry> => {
    const value = await secrets.get(name);
    return {
      name,
      label: LABELS[name].label,
      stored: value !== undefined,
      preview: value === undefined ? null : maskApiKey(value),
      envVariable: LABELS[name].env,
      envSet: Boolean(env[LABELS[name].env]?.trim()),
    };
  };
  return {
    'secrets.list': async () => ({
      storage: secrets.describe(),
      secrets: await Promise.all(SECRET_NAMES.map(entry)),
    }),
    'secrets.set': async ({ name, value }) => {
      await secrets.set(name, value);
      return entry(name);
    },
    'secrets.delete': async ({ name }) => ({ deleted: await secrets.delete(name) }),
  };
}
