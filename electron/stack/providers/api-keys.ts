import { BulkheadError } from '../errors';
import { MASK, redact } from '../log/redact';
import type { SecretStore } from '../secrets/secret-store';
import type { ProviderName } from './provider-types';

export const API_KEY_ENV: Record<ProviderName, string> = { openai: 'OPENAI_API_KEY', anthropic: 'ANTHROPIC_API_KEY' };
/** Names under which keys are kept in the secret store. */
export const API_KEY_SECRET: Record<ProviderName, string> = { openai: 'provider.openai.apiKey', anthropic: 'provider.anthropic.apiKey' };

export interface ResolvedApiKey {
  key: string;
  source: 'explicit' | 'env' | 'secret-store';
}

/**
 * The API key to use: an explicit one wins, then the environment variable, then the secret store.
 * Throws a BulkheadError that names all three places when none has a key (never printing any value).
 */
export async function resolveApiKey(
  provider: ProviderName,
  sources: { explicit?: string | undefined; env?: NodeJS.ProcessEnv; store?: SecretStore | undefined },
): Promise<ResolvedApiKey> {
  const explicit = sources.explicit?.trim();
  if (explicit) return { key: explicit, source: 'explicit' };
  const fromEnv = (sources.env ?? process.env)[API_KEY_ENV[provider]]?.trim();
  if (fromEnv) return { key: fromEnv, source: 'env' };
  const stored = (await sources.store?.get(API_KEY_SECRET[provider]))?.trim();
  if (stored) return { key: stored, source: 'secret-store' };
  throw new BulkheadError('provider.missing_api_key', `No ${provider} API key is configured.`, {
    remedy: `Set ${API_KEY_ENV[provider]}, save a key in the panel's provider settings, or use the built-in simulator (no key needed).`,
  });
}

/** A key as it may be shown: a short recognisable prefix and the mask ("sk-pr****"). */
export function maskApiKey(key: string): string {
  if (key.length < 12) return MASK;
  return `${key.slice(0, Math.min(5, Math.floor(key.length / 4)))}${MASK}`;
}

/** Masks every occurrence of the given secrets, then applies the general redaction rules. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(maskApiKey(secret));
  }
  return redact(out);
}
