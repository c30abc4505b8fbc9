import type { ProviderName } from './provider-types';

/** The variables that choose the model stress runs call, per provider. */
export const MODEL_ENV: Record<ProviderName, string> = { openai: 'BULKHEAD_OPENAI_MODEL', anthropic: 'BULKHEAD_ANTHROPIC_MODEL' };
export const DEFAULT_MODELS: Record<ProviderName, string> = { openai: 'gpt-4o-mini', anthropic: 'claude-haiku-4-5' };

/** The model a run against `provider` calls, and where that choice comes from (for messages). */
export function configuredModel(provider: ProviderName, env: NodeJS.ProcessEnv): { model: string; from: string } {
  const fromEnv = env[MODEL_ENV[provider]]?.trim();
  return fromEnv ? { model: fromEnv, from: MODEL_ENV[provider] } : { model: DEFAULT_MODELS[provider], from: 'the default' };
}
