import type { ProviderName } from '../../providers/provider-types';

/** A last path segment like v1, v2, v1beta: the base URL already names the API version. */
const VERSION_SEGMENT = /^v\d+(?:alpha|beta)?\d*$/i;
const CALL_ROUTES = ['/chat/completions', '/messages'];

/**
 * Where the models list of a base URL is, by the same rule the provider client uses for chat calls
 * (resolveEndpoint): a base whose last segment is not a version gets /v1. A base given as the full chat
 * URL is cut back to its base. Anthropic lists 20 models a page by default; one page of up to 1000 is
 * asked for so the model step sees them all.
 */
export function modelsUrlFor(provider: ProviderName, baseUrl: string): { url: URL; addedVersion: boolean } {
  const url = new URL(baseUrl.trim());
  let path = url.pathname.replace(/\/+$/, '');
  for (const route of CALL_ROUTES) if (path.endsWith(route)) path = path.slice(0, -route.length);
  const addedVersion = !VERSION_SEGMENT.test(path.split('/').pop() ?? '');
  if (addedVersion) path = `${path}/v1`;
  url.pathname = `${path}/models`;
  if (provider === 'anthropic') url.searchParams.set('limit', '1000');
  return { url, addedVersion };
}

/** scheme://host:port/path of a URL, without its query (which may carry settings, never shown whole). */
export function showUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}
