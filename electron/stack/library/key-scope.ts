import { createHash } from 'node:crypto';
import type { ProviderName } from '../providers/provider-types';

/**
 * The budget a request spends from: the provider plus a hash of the API key it carries (and the OpenAI
 * organisation and project headers when sent), so two keys never share a bucket and the key itself is
 * never stored — not in memory maps, limiter names or Redis keys. Only the SDK's own headers are read;
 * the governed fetch never adds a key.
 */
export interface KeyScope {
  /** `openai:3f9a…` — the limiter's scope and shared-store key prefix. */
  scope: string;
  /** First 6 hex digits of the hash, to tell scopes apart in limiter names; `anonymous` without a key. */
  tag: string;
}

export function keyScopeOf(provider: ProviderName, headers: Headers): KeyScope {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.get('authorization') ?? '')?.[1]?.trim();
  const key = headers.get('x-api-key')?.trim() || bearer || '';
  const organization = headers.get('openai-organization') ?? '';
  const project = headers.get('openai-project') ?? '';
  if (key === '' && organization === '' && project === '') return { scope: `${provider}:anonymous`, tag: 'anonymous' };
  const digest = createHash('sha256').update(`${provider}\0${key}\0${organization}\0${project}`).digest('hex').slice(0, 32);
  return { scope: `${provider}:${digest}`, tag: digest.slice(0, 6) };
}
