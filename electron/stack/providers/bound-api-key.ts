import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { checkProviderUrl } from '../../../shared/contract/provider-url';
import { BulkheadError } from '../errors';
import { MASK } from '../log/redact';
import type { ProviderName } from './provider-types';

/** Where a key came from; decides what the refusal's remedy says. */
export type KeySource = 'explicit' | 'env' | 'secret-store';

export interface KeyBinding {
  /** The base URL calls use when the caller names none; its origin is the only one the key goes to. */
  readonly baseUrl: string;
  /** Who bound it, for messages: "the official API", "OPENAI_BASE_URL", "Settings", "--provider-url". */
  readonly boundBy: string;
}

/** A key as it may be shown: a short recognisable prefix and the mask ("sk-pr****"). */
export function maskApiKey(key: string): string {
  if (key.length < 12) return MASK;
  return `${key.slice(0, Math.min(5, Math.floor(key.length / 4)))}${MASK}`;
}

/**
 * An API key together with the one origin (scheme://host:port) it may be sent to. The key itself is a
 * private field: the only way to read it is `revealFor(origin)`, which the transport calls with the
 * origin of the connection the request goes out on, so a key can never be attached to a request for
 * another origin — whatever URL a caller asked for. It prints masked (String, JSON, util.inspect).
 */
export class BoundApiKey {
  readonly #key: string;
  readonly provider: ProviderName;
  readonly source: KeySource;
  readonly origin: string;
  readonly baseUrl: string;
  readonly boundBy: string;

  constructor(provider: ProviderName, key: string, source: KeySource, binding: KeyBinding) {
    const checked = checkProviderUrl(binding.baseUrl);
    if (!checked.ok) {
      throw new BulkheadError('provider.invalid_key_binding', `The ${provider} key's base URL (from ${binding.boundBy}) ${checked.problem}.`, {
        remedy: 'Bind the key to an http:// or https:// base URL without credentials, e.g. https://api.openai.com/v1.',
      });
    }
    this.#key = key;
    this.provider = provider;
    this.source = source;
    this.origin = checked.url.origin;
    this.baseUrl = binding.baseUrl.trim();
    this.boundBy = binding.boundBy;
  }

  /** A key that is no secret (the simulator's, a test's), bound to where it is used. */
  static explicit(provider: ProviderName, key: string, baseUrl: string): BoundApiKey {
    return new BoundApiKey(provider, key, 'explicit', { baseUrl, boundBy: 'the caller' });
  }

  masked(): string {
    return maskApiKey(this.#key);
  }

  /**
   * The rate-limit budget this key spends from: `provider:<hash>` (a SHA-256 of provider and key, never
   * the key), the same scope the library's governed fetch derives from the key an SDK sends — so two
   * keys never share buckets, and every process using one key (the panel's runs, attached agents) does,
   * through a shared store.
   */
  budgetScope(): string {
    return `${this.provider}:${createHash('sha256').update(`${this.provider}\0${this.#key}\0\0`).digest('hex').slice(0, 32)}`;
  }

  /** True when a request to `url` may carry this key. */
  allows(url: string): boolean {
    const checked = checkProviderUrl(url);
    return checked.ok && checked.url.origin === this.origin;
  }

  /**
   * The key, for a request that goes to `requestOrigin`. Any other origin is refused with
   * provider.key_origin_mismatch — the check sits where the auth header is attached, so no caller can
   * route around it.
   */
  revealFor(requestOrigin: string): string {
    const checked = checkProviderUrl(requestOrigin);
    if (!checked.ok || checked.url.origin !== this.origin) throw this.mismatch(checked.ok ? checked.url.origin : '(not a URL)', 'the request');
    return this.#key;
  }

  /** Throws the refusal when `url` is not this key's origin; `field` names where the URL came from. */
  assertAllows(url: string, field: string): void {
    const checked = checkProviderUrl(url);
    if (!checked.ok) {
      throw new BulkheadError('provider.invalid_base_url', `${field} ${checked.problem}.`, { remedy: 'Give an http:// or https:// URL without credentials.' });
    }
    if (checked.url.origin !== this.origin) throw this.mismatch(checked.url.origin, field);
  }

  /** The refusal: names the field, the two origins, and the two ways out. */
  mismatch(origin: string, field: string): BulkheadError {
    const which = this.source === 'env' ? `The ${this.provider} key from ${ENV_KEY[this.provider]}` : this.source === 'secret-store' ? `The saved ${this.provider} key` : `The ${this.provider} key`;
    const remedy =
      this.source === 'env'
        ? `To use this key with ${origin}, start Bulkhead with ${ENV_BASE_URL[this.provider]} set to that endpoint (\`bulkhead stress --provider-url\` does this for one run); or run against the built-in simulator (provider "simulator"), which needs no key.`
        : this.source === 'secret-store'
          ? `To use this key with ${origin}, save it again on Settings with "Bound to" set to that endpoint's base URL; or run against the built-in simulator (provider "simulator"), which needs no key.`
          : `Use a key bound to ${origin}, or the built-in simulator.`;
    return new BulkheadError('provider.key_origin_mismatch', `${which} is bound to ${this.origin} (by ${this.boundBy}); it is never sent to ${origin}, which ${field} names.`, { remedy });
  }

  /** Masks this key wherever it appears in `text` (error bodies may echo it). */
  scrub(text: string): string {
    return this.#key.length >= 4 ? text.split(this.#key).join(this.masked()) : text;
  }

  toString(): string {
    return this.masked();
  }

  toJSON(): string {
    return this.masked();
  }

  [inspect.custom](): string {
    return `BoundApiKey(${this.provider} ${this.masked()} → ${this.origin})`;
  }
}

export const ENV_KEY: Record<ProviderName, string> = { openai: 'OPENAI_API_KEY', anthropic: 'ANTHROPIC_API_KEY' };
/** The variables the official SDKs read for their base URL; here they also bind the environment's key. */
export const ENV_BASE_URL: Record<ProviderName, string> = { openai: 'OPENAI_BASE_URL', anthropic: 'ANTHROPIC_BASE_URL' };
