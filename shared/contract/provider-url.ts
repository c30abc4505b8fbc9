import { z } from 'zod';

/**
 * A provider base URL as the contract and the CLI accept it: http or https, a host, no user name or
 * password (nor a key or token in the query), at most 2048 characters. The same check runs in the zod schema and in the CLI's option
 * parser, so a bad URL is refused before anything is started or stored. Messages never repeat the
 * value: it may hold a password.
 */

export const PROVIDER_URL_MAX_LENGTH = 2048;

/** Query parameters that carry a credential (`?key=`, `?api_key=`, `?access_token=`, `?sig=` …): refused like user:password. */
const SECRET_QUERY = /(?:^|[_.-])(?:key|api[_-]?key|token|access[_-]?token|password|passwd|pwd|secret|sig|signature|auth)$/i;

export type ProviderUrlCheck = { ok: true; url: URL } | { ok: false; problem: string };

export function checkProviderUrl(text: string): ProviderUrlCheck {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, problem: 'is empty; give a URL such as https://api.openai.com/v1' };
  if (trimmed.length > PROVIDER_URL_MAX_LENGTH) return { ok: false, problem: `is longer than ${PROVIDER_URL_MAX_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, problem: 'is not a URL; give one such as https://api.openai.com/v1 or http://127.0.0.1:8080/v1' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, problem: `must start with http:// or https:// (got a ${url.protocol.replace(/:$/, '').slice(0, 16)}: URL)` };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, problem: 'must not carry a user name or password; give the API key on Settings or in OPENAI_API_KEY / ANTHROPIC_API_KEY' };
  }
  if (url.hostname === '') return { ok: false, problem: 'names no host' };
  for (const name of url.searchParams.keys()) {
    if (SECRET_QUERY.test(name)) return { ok: false, problem: 'must not carry a key, token or password in its query; give the API key on Settings or in OPENAI_API_KEY / ANTHROPIC_API_KEY' };
  }
  return { ok: true, url };
}

/** scheme://host[:port] of a URL that passed checkProviderUrl: what a key is bound to. */
export function originOf(text: string): string {
  const checked = checkProviderUrl(text);
  if (!checked.ok) throw new TypeError(`not a provider URL: it ${checked.problem}`);
  return checked.url.origin;
}

export const ProviderUrlSchema = z
  .string()
  .max(PROVIDER_URL_MAX_LENGTH, `a provider URL is at most ${PROVIDER_URL_MAX_LENGTH} characters`)
  .superRefine((value, ctx) => {
    const checked = checkProviderUrl(value);
    if (!checked.ok) ctx.addIssue({ code: 'custom', message: `the provider URL ${checked.problem}` });
  })
  .transform((value) => value.trim());
