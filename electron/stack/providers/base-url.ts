import { BulkheadError } from '../errors';
import type { ProviderName } from './provider-types';

export const DEFAULT_BASE_URLS: Record<ProviderName, string> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
};

const ROUTE: Record<ProviderName, string> = { openai: '/chat/completions', anthropic: '/messages' };
/** A last path segment like v1, v2, v1beta: the base URL already names the API version. */
const VERSION_SEGMENT = /^v\d+(?:alpha|beta)?\d*$/i;

export interface ProviderEndpoint {
  /** scheme://host:port — what the connection pool is keyed on. */
  origin: string;
  /** Path (and query) of the chat endpoint, e.g. /v1/chat/completions. */
  path: string;
  /** Origin + path, for messages and snapshots. */
  url: string;
}

/**
 * Where chat calls go, from a base URL that may or may not end in /v1:
 *   https://api.openai.com           → /v1/chat/completions
 *   https://api.openai.com/v1        → /v1/chat/completions
 *   https://openrouter.ai/api/v1     → /api/v1/chat/completions
 *   http://localhost:11434/v1/       → /v1/chat/completions
 *   .../v1/chat/completions (full)   → used as given
 * When the last segment is not a version (v1, v2beta, …) /v1 is added, as both SDKs' default bases do.
 * Query strings (e.g. Azure's api-version) are kept.
 */
export function resolveEndpoint(provider: ProviderName, baseUrl: string | undefined): ProviderEndpoint {
  const raw = (baseUrl ?? DEFAULT_BASE_URLS[provider]).trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BulkheadError('provider.invalid_base_url', `The ${provider} base URL ${JSON.stringify(raw)} is not a URL.`, {
      remedy: `Give a full URL such as ${DEFAULT_BASE_URLS[provider]} (http:// or https://).`,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BulkheadError('provider.invalid_base_url', `The ${provider} base URL must be http:// or https://, got ${url.protocol}.`, {
      remedy: `Use e.g. ${DEFAULT_BASE_URLS[provider]}.`,
    });
  }
  if (url.username || url.password) {
    throw new BulkheadError('provider.invalid_base_url', `The ${provider} base URL must not carry credentials.`, {
      remedy: 'Pass the API key separately (environment variable or saved key), not inside the URL.',
    });
  }
  const route = ROUTE[provider];
  let path = url.pathname.replace(/\/+$/, '');
  if (!path.endsWith(route)) {
    const last = path.split('/').pop() ?? '';
    if (!VERSION_SEGMENT.test(last)) path = `${path}/v1`;
    path = `${path}${route}`;
  }
  const fullPath = `${path}${url.search}`;
  return { origin: url.origin, path: fullPath, url: `${url.origin}${fullPath}` };
}
