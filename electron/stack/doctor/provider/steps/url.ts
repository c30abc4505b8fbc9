import { checkProviderUrl } from '../../../../../shared/contract/provider-url';
import { classifyHost } from '../../../db/config/host-kind';
import { envBinding } from '../../../providers/api-keys';
import { DEFAULT_BASE_URLS } from '../../../providers/base-url';
import type { ProviderName } from '../../../providers/provider-types';
import { fail, pass, warn } from '../../doctor-step';
import { modelsUrlFor, showUrl } from '../models-url';
import type { ProviderStepDefinition } from '../provider-doctor-context';

/**
 * Step 2: the base URL — given, or the one the key is bound to — its scheme, its path (/v1), and whether
 * the key may go there. A key bound elsewhere is not sent (the finding says so and how to bind it); the
 * network steps still run without it.
 */
export const urlStep: ProviderStepDefinition = {
  id: 'url',
  title: 'Base URL',
  deadlineMs: 2_000,
  async run(context) {
    const { provider, providerUrl, urlLabel = '--provider-url' } = context.input;
    const given = providerUrl?.trim();
    const { baseUrl, from } = given ? { baseUrl: given, from: urlLabel } : context.key ? { baseUrl: context.key.baseUrl, from: `the key's binding (${context.key.boundBy})` } : baseWithoutKey(context.input.provider, context.input.env);
    context.target = `${provider} (${from})`;
    const checked = checkProviderUrl(baseUrl);
    if (!checked.ok) {
      return fail(`the base URL from ${from} ${checked.problem}`, `Give the API's base URL, e.g. ${DEFAULT_BASE_URLS[provider]} or http://localhost:11434/v1 (http:// or https://, no credentials: the key goes in ${provider === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY'} or on Settings).`, 'provider.invalid_base_url');
    }
    const { url: modelsUrl, addedVersion } = modelsUrlFor(provider, baseUrl);
    context.baseUrl = baseUrl;
    context.modelsUrl = modelsUrl;
    context.target = `${provider} ${showUrl(modelsUrl)}`;
    const evidence = [`base URL ${showUrl(checked.url)} (from ${from})`, `models list: GET ${showUrl(modelsUrl)}`];
    const key = context.key;
    if (key && !key.allows(modelsUrl.href)) {
      const refusal = key.mismatch(modelsUrl.origin, from);
      context.keyWithheld = { code: 'provider.key_origin_mismatch', detail: refusal.message, remedy: refusal.remedy ?? '' };
      return fail(`the key is not sent to ${modelsUrl.origin}: it is bound to ${key.origin}`, refusal.remedy ?? '', 'provider.key_origin_mismatch', [...evidence, refusal.message], false);
    }
    const host = checked.url.hostname.replace(/^\[|\]$/g, '');
    if (checked.url.protocol === 'http:' && key && classifyHost(host) !== 'loopback') {
      return warn(
        `plain http:// to ${host}: the key crosses the network unencrypted`,
        `Use https:// for ${host} if the server offers it; keep http:// for servers on this machine or a network you trust.`,
        'provider.plain_http',
        evidence,
      );
    }
    if (provider === 'openai' && addedVersion) {
      return warn(
        `no /v1 in the base URL: Bulkhead adds it (${showUrl(modelsUrl)})`,
        `Bulkhead's client adds /v1, but the OpenAI SDKs call the base URL as given: use ${checked.url.origin}${checked.url.pathname.replace(/\/+$/, '')}/v1 as the base URL everywhere.`,
        'provider.base_path_missing_v1',
        evidence,
      );
    }
    return pass(showUrl(checked.url), evidence);
  },
};

/** With no key, where calls would go: OPENAI_BASE_URL / ANTHROPIC_BASE_URL when set (and valid), else the official API. */
function baseWithoutKey(provider: ProviderName, env: NodeJS.ProcessEnv): { baseUrl: string; from: string } {
  try {
    const binding = envBinding(provider, env);
    return { baseUrl: binding.baseUrl, from: binding.boundBy };
  } catch {
    return { baseUrl: DEFAULT_BASE_URLS[provider], from: 'the default (the base URL variable is unusable; see the key step)' };
  }
}
