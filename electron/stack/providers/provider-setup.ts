import type { Clock } from '../clock/clock';
import type { SecretStore } from '../secrets/secret-store';
import { resolveApiKey } from './api-keys';
import { BoundApiKey } from './bound-api-key';
import type { ProviderGovernor, RetryPolicy } from './call-pipeline';
import type { ProviderPoolOptions } from './http-pool';
import { createProviderClient, type AttemptEvent, type ProviderClient } from './provider-client';
import type { ProviderName } from './provider-types';
import type { SettingsPatch } from './simulator/sim-config';
import { startSimulator, type RunningSimulator } from './simulator/simulator';

/**
 * Which provider a run talks to: the built-in simulator (default, no key) or a real/compatible endpoint.
 * `baseUrl` defaults to where the resolved key is bound; a `baseUrl` on another origin is refused
 * (provider.key_origin_mismatch). An explicit `apiKey` is bound to `baseUrl` (use it for keys that are
 * no secret, such as a simulator's).
 */
export type ProviderTarget =
  | { kind: 'simulator'; api?: ProviderName; settings?: SettingsPatch; seed?: number }
  | { kind: ProviderName; baseUrl?: string; apiKey?: string };

export interface OpenProviderOptions {
  target: ProviderTarget;
  clock?: Clock;
  env?: NodeJS.ProcessEnv;
  secrets?: SecretStore;
  pool?: ProviderPoolOptions;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  governor?: ProviderGovernor;
  retry?: RetryPolicy;
  onAttempt?: (event: AttemptEvent) => void;
  signal?: AbortSignal;
  /** Never through HTTPS_PROXY/HTTP_PROXY (a simulator on loopback); the built-in simulator target always is. */
  direct?: boolean;
  /** A key the caller already resolved (resolveTargetKey), used instead of resolving it again. */
  resolvedKey?: BoundApiKey;
}

export interface OpenedProvider {
  readonly client: ProviderClient;
  /** The in-process simulator when the target is the simulator. */
  readonly simulator: RunningSimulator | null;
  /** For run records and the panel: where calls go, with the key masked. */
  describe(): { provider: ProviderName; endpoint: string; apiKey: string; simulated: boolean };
  /** Closes the client's pool, then the simulator if this started one. */
  close(): Promise<void>;
}

/** The key the built-in simulator is called with (it accepts any non-empty key). */
export const SIMULATOR_KEY = 'bulkhead-simulator-key';

/** The key a non-simulator target calls with: explicit → environment → secret store. */
export function resolveTargetKey(target: { kind: ProviderName; baseUrl?: string; apiKey?: string }, options: Pick<OpenProviderOptions, 'env' | 'secrets'>): Promise<BoundApiKey> {
  const explicit = target.apiKey === undefined ? undefined : { key: target.apiKey, baseUrl: target.baseUrl };
  return resolveApiKey(target.kind, { explicit, env: options.env, store: options.secrets });
}

/**
 * Opens a provider client for a stress run or an agent: starts the in-process simulator when asked
 * (the default target), otherwise resolves the API key (explicit → environment → secret store).
 */
export async function openProvider(options: OpenProviderOptions): Promise<OpenedProvider> {
  const target = options.target;
  let simulator: RunningSimulator | null = null;
  let provider: ProviderName;
  let baseUrl: string | undefined;
  let apiKey: BoundApiKey;
  if (target.kind === 'simulator') {
    simulator = await startSimulator({ clock: options.clock, settings: target.settings, seed: target.seed, signal: options.signal });
    provider = target.api ?? 'openai';
    baseUrl = provider === 'openai' ? simulator.openaiBaseUrl : simulator.anthropicBaseUrl;
    // Never a stored key: the simulator is called with a fixed one of its own.
    apiKey = BoundApiKey.explicit(provider, SIMULATOR_KEY, baseUrl);
  } else {
    provider = target.kind;
    baseUrl = target.baseUrl;
    apiKey = options.resolvedKey ?? (await resolveTargetKey(target, options));
  }
  try {
    const client = createProviderClient({
      provider,
      baseUrl,
      apiKey,
      clock: options.clock,
      pool: options.pool,
      ...(options.env ? { env: options.env } : {}),
      direct: options.direct ?? simulator !== null,
      headersTimeoutMs: options.headersTimeoutMs,
      bodyTimeoutMs: options.bodyTimeoutMs,
      governor: options.governor,
      retry: options.retry,
      onAttempt: options.onAttempt,
    });
    return {
      client,
      simulator,
      describe: () => ({ provider, endpoint: client.endpoint.url, apiKey: apiKey.masked(), simulated: simulator !== null }),
      close: async () => {
        await client.close();
        await simulator?.stop();
      },
    };
  } catch (error) {
    await simulator?.stop();
    throw error;
  }
}
