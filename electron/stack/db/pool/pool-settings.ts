import { PoolSettingsSchema, type ConfigSource, type PoolSettings } from '../../../../shared/contract/pool';
import { BulkheadError } from '../../errors';
import { resolveVariables, type EnvLayer } from '../config/env-layers';

export const DEFAULT_POOL_SETTINGS: PoolSettings = {
  min: 5,
  max: 20,
  connectionTimeoutMs: 5_000,
  idleTimeoutMs: 30_000,
  maxLifetimeSeconds: 1_800,
  statementTimeoutMs: 30_000,
  statementTimeoutScope: 'session',
  leakThresholdMs: 10_000,
  applicationName: 'bulkhead',
};

/** Environment variable → setting. Shown in the README's configuration table. */
export const POOL_SETTING_VARIABLES: Readonly<Record<string, keyof PoolSettings>> = {
  BULKHEAD_POOL_MIN: 'min',
  BULKHEAD_POOL_MAX: 'max',
  BULKHEAD_POOL_CONNECT_TIMEOUT_MS: 'connectionTimeoutMs',
  BULKHEAD_POOL_IDLE_TIMEOUT_MS: 'idleTimeoutMs',
  BULKHEAD_POOL_MAX_LIFETIME_S: 'maxLifetimeSeconds',
  BULKHEAD_STATEMENT_TIMEOUT_MS: 'statementTimeoutMs',
  BULKHEAD_STATEMENT_TIMEOUT_SCOPE: 'statementTimeoutScope',
  BULKHEAD_POOL_LEAK_MS: 'leakThresholdMs',
  PGAPPNAME: 'applicationName',
};

/**
 * The pool's bounds and timeouts: defaults, then the variables above (same precedence as the database
 * variables), then `overrides` from code (tests, the stress runner). A bad value is an error naming the
 * variable and the allowed range, never a silent default.
 */
export function resolvePoolSettings(layers: readonly EnvLayer[], overrides: Partial<PoolSettings> = {}): { settings: PoolSettings; sources: ConfigSource[] } {
  const vars = resolveVariables(layers, Object.keys(POOL_SETTING_VARIABLES));
  const merged: Record<string, unknown> = { ...DEFAULT_POOL_SETTINGS };
  const sources: ConfigSource[] = [];
  for (const [name, variable] of vars) {
    const key = POOL_SETTING_VARIABLES[name]!;
    merged[key] = key === 'applicationName' || key === 'statementTimeoutScope' ? variable.value : Number(variable.value);
    sources.push({ name, value: variable.value, source: variable.source, shadows: [...variable.shadows] });
  }
  Object.assign(merged, overrides);
  const parsed = PoolSettingsSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const variable = Object.entries(POOL_SETTING_VARIABLES).find(([, setting]) => setting === key)?.[0];
    throw new BulkheadError('POOL_SETTINGS_INVALID', `Pool setting ${variable ?? key} is invalid: ${issue?.message ?? 'bad value'} (got ${JSON.stringify(merged[key])}).`, {
      remedy:
        key === 'statementTimeoutScope'
          ? `Set ${variable ?? key} to session (the default) or transaction (behind PgBouncer in transaction pooling).`
          : `Set ${variable ?? key} to a whole number in range, or remove it to use the default (${String(DEFAULT_POOL_SETTINGS[key as keyof PoolSettings])}).`,
    });
  }
  if (parsed.data.min > parsed.data.max) {
    throw new BulkheadError('POOL_SETTINGS_INVALID', `BULKHEAD_POOL_MIN (${parsed.data.min}) is larger than BULKHEAD_POOL_MAX (${parsed.data.max}).`, {
      remedy: 'Make the minimum at most the maximum.',
    });
  }
  return { settings: parsed.data, sources };
}
