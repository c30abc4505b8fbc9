import { API_KEY_ENV } from '../../../providers/api-keys';
import { readErrorBody } from '../../../providers/classify-error';
import type { ProviderName } from '../../../providers/provider-types';
import { fail, pass, skip, warn } from '../../doctor-step';
import type { ProviderDoctorContext, ProviderStepDefinition } from '../provider-doctor-context';

const KEY_PAGES: Record<ProviderName, string> = { openai: 'https://platform.openai.com/api-keys', anthropic: 'https://console.anthropic.com/settings/keys' };

/**
 * Step 8: what the provider said about the key: accepted, invalid or revoked (401), not allowed for this
 * organisation, project or region (403), or out of credits. Reads the HTTP step's answer; sends nothing.
 */
export const authStep: ProviderStepDefinition = {
  id: 'auth',
  title: 'Authentication',
  deadlineMs: 1_000,
  async run(context) {
    const response = context.response;
    if (!response) return skip('no answer to read');
    const { provider } = context.input;
    const body = readErrorBody(response.text);
    const said = body.message ? `: "${body.message.slice(0, 240)}"` : '';
    const evidence = [`HTTP ${response.status}${body.type ? ` type ${body.type}` : ''}${body.code ? ` code ${body.code}` : ''}${said}`];
    if (!response.keySent) return noKeySent(context, response.status, evidence);
    const key = context.key;
    const which = `the key ${key?.masked() ?? ''} (${key?.source === 'env' ? API_KEY_ENV[provider] : key?.source === 'secret-store' ? 'saved on Settings' : (context.input.explicitKeyLabel ?? 'given')})`;
    const status = response.status;
    if (status >= 200 && status < 300) return pass(`${which} was accepted`);
    if (status === 401) {
      const envNote = key?.source === 'env' ? ` ${API_KEY_ENV[provider]} wins over a key saved on Settings: unset it to use the saved one.` : '';
      return fail(
        `${which} was refused (401): invalid, revoked or for another provider`,
        `Create a new key at ${KEY_PAGES[provider]} and set it in ${API_KEY_ENV[provider]} or on Settings.${envNote} A key of a compatible service (OpenRouter, Azure…) works only with that service's base URL.`,
        body.code ?? (provider === 'anthropic' ? 'authentication_error' : 'invalid_api_key'),
        evidence,
      );
    }
    if (status === 403) return forbidden(provider, which, body.code ?? body.type, body.message ?? '', evidence);
    if (status === 429) {
      if (body.code === 'insufficient_quota' || body.type === 'insufficient_quota' || body.code === 'enforced_spend_limit_reached') {
        return fail(`${which} is valid but out of credits (${body.code ?? body.type})`, provider === 'openai' ? 'Add credits or raise the budget on the billing page (platform.openai.com/settings/organization/billing); every call fails until then.' : 'The workspace reached its spend limit: raise it in the Anthropic console (Settings → Limits).', body.code ?? 'insufficient_quota', evidence);
      }
      return warn(`${which} was accepted but is rate limited right now (429)`, 'The limits step shows which limit and when it resets; a stress run waits for it.', body.code ?? 'rate_limit_exceeded', evidence);
    }
    return fail(`the models list answered ${status}${said}`, 'The request was refused for another reason; the evidence quotes the provider.', body.code ?? `HTTP_${status}`, evidence);
  },
};

function noKeySent(context: ProviderDoctorContext, status: number, evidence: string[]) {
  const provider = context.input.provider;
  if (status >= 200 && status < 300) return pass('the server answered without a key (it needs none)', evidence);
  if (context.keyWithheld) return fail(`no key was sent (${context.keyWithheld.code}), and the server wants one (${status})`, context.keyWithheld.remedy, context.keyWithheld.code, evidence);
  return fail(`no key was sent, and the server wants one (${status})`, `Set ${API_KEY_ENV[provider]} or save a key on Settings (create one at ${KEY_PAGES[provider]}).`, 'provider.missing_api_key', evidence);
}

function forbidden(provider: ProviderName, which: string, code: string | null, message: string, evidence: string[]) {
  const text = `${code ?? ''} ${message}`.toLowerCase();
  if (/region|country|territor/.test(text)) {
    return fail(`${which} is not allowed from this region (403)`, `${provider === 'openai' ? 'OpenAI' : 'Anthropic'} does not serve the country this request came from (your network's exit point, a VPN or proxy counts). Use the API from a supported region.`, code ?? 'unsupported_country_region_territory', evidence);
  }
  if (/project/.test(text)) {
    return fail(`${which} belongs to a project without access to this (403)`, "In the dashboard, give the key's project access to the models endpoint and the model (Project → Limits / Permissions), or use a key of a project that has it.", code ?? 'project_forbidden', evidence);
  }
  if (/organi[sz]ation|workspace/.test(text)) {
    return fail(`${which} is not allowed for this organisation (403)`, provider === 'openai' ? 'The key belongs to another organisation than the one asked for: unset OPENAI_ORG_ID / OpenAI-Organization, or use a key of that organisation.' : 'The key\'s workspace has no access: check its workspace in the Anthropic console.', code ?? 'organization_forbidden', evidence);
  }
  return fail(`${which} is not allowed to do this (403)`, provider === 'openai' ? "The key's permissions are restricted: give it Read access to Models (or make it an all-permissions key) at platform.openai.com/api-keys." : "The key lacks permission: check its workspace and role in the Anthropic console.", code ?? 'permission_error', evidence);
}
