import { checkProviderUrl } from '../../../shared/contract/provider-url';
import { BulkheadError } from '../errors';
import { redact } from '../log/redact';
import type { SecretStore } from '../secrets/secret-store';
import { DEFAULT_BASE_URLS } from './base-url';
import { BoundApiKey, ENV_BASE_URL, ENV_KEY, maskApiKey } from './bound-api-key';
import type { ProviderName } from './provider-types';

export { maskApiKey };
export const API_KEY_ENV = ENV_KEY;
export const BASE_URL_ENV = ENV_BASE_URL;
/** Names under which keys are kept in the secret store. */
export const API_KEY_SECRET: Record<ProviderName, string> = { openai: 'provider.openai.apiKey', anthropic: 'provider.anthropic.apiKey' };

/** What the secret store holds for a provider: the key and the base URL it was bound to on saving. */
export interface StoredProviderKey {
  key: string;
  /** Null: the provider's official API (keys saved before bindings existed read this way too). */
  baseUrl: string | null;
}

/**
 * One secret-store value holds both, so the key and its binding are written in one atomic write:
 * a crash can never leave a new key with an old binding. A bare string is a key saved before bindings
 * existed (bound to the official API).
 */
export function encodeStoredKey(stored: StoredProviderKey): string {
  return JSON.stringify({ v: 1, key: stored.key, baseUrl: stored.baseUrl });
}

export function decodeStoredKey(raw: string): StoredProviderKey {
  if (raw.startsWith('{')) {
    try {
      const parsed = JSON.parse(raw) as { v?: unknown; key?: unknown; baseUrl?: unknown };
      if (parsed.v === 1 && typeof parsed.key === 'string' && (parsed.baseUrl === null || typeof parsed.baseUrl === 'string')) {
        return { key: parsed.key, baseUrl: parsed.baseUrl };
      }
    } catch {
      // not ours: a key that happens to start with "{" (the schema of secrets.set allows it)
    }
  }
  return { key: raw, baseUrl: null };
}

export async function readStoredKey(provider: ProviderName, store: SecretStore | undefined): Promise<StoredProviderKey | undefined> {
  const raw = await store?.get(API_KEY_SECRET[provider]);
  if (raw === undefined) return undefined;
  const stored = decodeStoredKey(raw);
  return stored.key.trim() === '' ? undefined : { key: stored.key.trim(), baseUrl: stored.baseUrl };
}

/**
 * Where the environment's key is bound: `OPENAI_BASE_URL` / `ANTHROPIC_BASE_URL` when set (the SDKs'
 * own variables), else the official API. A bad value is an error naming the variable, not a silent
 * fallback to another origin.
 */
export function envBinding(provider: ProviderName, env: NodeJS.ProcessEnv): { baseUrl: string; boundBy: string } {
  const variable = ENV_BASE_URL[provider];
  const raw = env[variable]?.trim();
  if (!raw) return { baseUrl: DEFAULT_BASE_URLS[provider], boundBy: 'the official API' };
  const checked = checkProviderUrl(raw);
  if (!checked.ok) {
    throw new BulkheadError('provider.invalid_base_url', `${variable} ${checked.problem}.`, {
      remedy: `Set ${variable} to the endpoint's base URL (http:// or https://, no credentials), e.g. ${DEFAULT_BASE_URLS[provider]}, or unset it.`,
    });
  }
  return { baseUrl: raw, boundBy: variable };
}

/**
 * The API key to use, with the origin it is bound to: an explicit one (bound to the URL it comes with),
 * then the environment variable (bound by OPENAI_BASE_URL / ANTHROPIC_BASE_URL, else the official API),
 * then the secret store (bound to the base URL saved with it, else the official API). Throws a
 * BulkheadError that names all three places when none has a key (never printing any value).
 */
export async function resolveApiKey(
  provider: ProviderName,
  sources: { explicit?: { key: string; baseUrl?: string | undefined } | undefined; env?: NodeJS.ProcessEnv; store?: SecretStore | undefined },
): Promise<BoundApiKey> {
  const explicit = sources.explicit?.key.trim();
  if (explicit) return BoundApiKey.explicit(provider, explicit, sources.explicit?.baseUrl ?? DEFAULT_BASE_URLS[provider]);
  const env = sources.env ?? process.env;
  const fromEnv = env[ENV_KEY[provider]]?.trim();
  if (fromEnv) return new BoundApiKey(provider, fromEnv, 'env', envBinding(provider, env));
  const stored = await readStoredKey(provider, sources.store);
  if (stored) {
    const binding = stored.baseUrl === null ? { baseUrl: DEFAULT_BASE_URLS[provider], boundBy: 'the official API' } : { baseUrl: stored.baseUrl, boundBy: 'Settings' };
    return new BoundApiKey(provider, stored.key, 'secret-store', binding);
  }
  throw new BulkheadError('provider.missing_api_key', `No ${provider} API key is configured.`, {
    remedy: `Set ${ENV_KEY[provider]}, save a key in the panel's provider settings, or use the built-in simulator (no key needed).`,
  });
}

/** Masks every occurrence of the given secrets, then applies the general redaction rules. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(maskApiKey(secret));
  }
  return redact(out);
}

/**
 * Before a run starts: resolves the key the run would use and refuses a `providerUrl` on another origin
 * than the key's, naming `field` — so the mistake is a clear error before anything is started or stored.
 * The provider client checks again where the header is attached.
 */
export async function checkKeyBinding(
  provider: ProviderName,
  providerUrl: string | undefined,
  sources: { env?: NodeJS.ProcessEnv; store?: SecretStore | undefined },
  field = 'providerUrl',
): Promise<BoundApiKey> {
  const key = await resolveApiKey(provider, sources);
  if (providerUrl !== undefined) key.assertAllows(providerUrl, field);
  return key;
}
