import { API_KEY_ENV, BASE_URL_ENV, readStoredKey, resolveApiKey } from '../../../providers/api-keys';
import { DEFAULT_BASE_URLS } from '../../../providers/base-url';
import { isBulkheadError } from '../../../errors';
import { maskApiKey } from '../../../providers/bound-api-key';
import type { ProviderName } from '../../../providers/provider-types';
import { fail, pass, warn } from '../../doctor-step';
import type { ProviderStepDefinition } from '../provider-doctor-context';

const KEY_PAGES: Record<ProviderName, string> = { openai: 'https://platform.openai.com/api-keys', anthropic: 'https://console.anthropic.com/settings/keys' };

/**
 * Step 1: which key would be used and where it came from (environment, Settings), masked, with the
 * origin it is bound to. A missing key does not block: the network steps still run, unauthenticated.
 */
export const keyStep: ProviderStepDefinition = {
  id: 'key',
  title: 'API key',
  deadlineMs: 5_000,
  async run(context) {
    const { provider, env, secrets, explicitKey, explicitKeyLabel } = context.input;
    if (explicitKey) {
      context.key = explicitKey;
      return pass(`${explicitKeyLabel ?? 'an explicit key'} ${explicitKey.masked()}, bound to ${explicitKey.origin}`);
    }
    const variable = API_KEY_ENV[provider];
    const evidence: string[] = [];
    const stored = await readStoredKey(provider, secrets).catch(() => undefined);
    const rawEnv = env[variable];
    if (rawEnv !== undefined && rawEnv.trim() === '') evidence.push(`${variable} is set but empty (ignored)`);
    try {
      context.key = await resolveApiKey(provider, { env, store: secrets });
    } catch (error) {
      context.key = null;
      if (isBulkheadError(error) && error.code === 'provider.missing_api_key') {
        return fail(
          `no ${provider} key: ${variable} is not set and none is saved on Settings`,
          `Set ${variable} (create a key at ${KEY_PAGES[provider]}), or save one on the Settings page. The network steps below still run, without a key.`,
          'provider.missing_api_key',
          evidence,
          false,
        );
      }
      const code = isBulkheadError(error) ? error.code : 'provider.invalid_key_binding';
      const remedy = isBulkheadError(error) && error.remedy ? error.remedy : `Fix ${BASE_URL_ENV[provider]}, or unset it.`;
      return fail(`the ${provider} key cannot be used: ${error instanceof Error ? error.message : String(error)}`, remedy, code, evidence, false);
    }
    const key = context.key;
    const source = key.source === 'env' ? `${variable} (environment)` : 'saved on Settings';
    evidence.push(`bound to ${key.origin} (by ${key.boundBy}): the key is sent there and nowhere else`);
    if (key.source === 'env' && stored) evidence.push(`a key is also saved on Settings (${maskApiKey(stored.key)}); ${variable} wins while it is set`);
    const detail = `${source}: ${key.masked()}`;
    const shapeProblem = keyShapeProblem(provider, rawEnv, key.source === 'env', key.origin === new URL(DEFAULT_BASE_URLS[provider]).origin, key);
    if (shapeProblem) return warn(`${detail} — ${shapeProblem.finding}`, shapeProblem.remedy, shapeProblem.code, evidence);
    return pass(detail, evidence);
  },
};

/** Mistakes visible without sending the key: quotes pasted with it, or the other provider's key format. */
function keyShapeProblem(
  provider: ProviderName,
  rawEnv: string | undefined,
  fromEnv: boolean,
  official: boolean,
  key: { scrub(text: string): string; masked(): string },
): { finding: string; remedy: string; code: string } | null {
  const variable = API_KEY_ENV[provider];
  if (fromEnv && rawEnv !== undefined && /^\s*["']|["']\s*$/.test(rawEnv)) {
    return { finding: 'it starts or ends with a quote', remedy: `Remove the quotes around the value of ${variable} (a .env loader that does not strip them passes them on, and the provider answers 401).`, code: 'provider.key_quoted' };
  }
  if (!official) return null; // compatible servers use keys of any shape
  // Only the prefix is looked at: `masked()` keeps the first characters, which is what the check needs.
  const prefix = key.masked();
  if (provider === 'openai' && prefix.startsWith('sk-an')) {
    return { finding: 'this looks like an Anthropic key', remedy: `Put the Anthropic key in ANTHROPIC_API_KEY and an OpenAI key (${KEY_PAGES.openai}) in ${variable}.`, code: 'provider.key_wrong_provider' };
  }
  if (provider === 'anthropic' && !prefix.startsWith('sk-an') && prefix.startsWith('sk-')) {
    return { finding: 'this looks like an OpenAI key (Anthropic keys start with sk-ant-)', remedy: `Put an Anthropic key (${KEY_PAGES.anthropic}) in ${variable}.`, code: 'provider.key_wrong_provider' };
  }
  return null;
}
