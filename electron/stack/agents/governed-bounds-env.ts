import { BulkheadError } from '../errors';
import { GOVERNED_BOUNDS, type GovernedBounds } from './agent-settings';

interface BoundVariable {
  readonly key: keyof GovernedBounds;
  readonly min: number;
  readonly max: number;
}

/** Environment variable → governed bound. Shown in the README's configuration table. */
export const GOVERNED_BOUND_VARIABLES: Readonly<Record<string, BoundVariable>> = {
  BULKHEAD_AGENT_PERMITS: { key: 'agentPermits', min: 1, max: 1_000 },
  BULKHEAD_AGENT_MAX_WAITING: { key: 'agentMaxWaiting', min: 0, max: 100_000 },
  BULKHEAD_AGENT_WAIT_TIMEOUT_MS: { key: 'agentWaitTimeoutMs', min: 1, max: 600_000 },
};

/**
 * Governed mode's agent bounds: the defaults, with any of the variables above applied. The defaults
 * are sized for a 2-core laptop; a bigger machine, or a slower one that should not shed at 1 s, sets
 * them. A bad value is an error naming the variable and its range, never a silent default.
 */
export function governedBoundsFrom(env: NodeJS.ProcessEnv): GovernedBounds {
  const bounds: GovernedBounds = { ...GOVERNED_BOUNDS };
  for (const [name, variable] of Object.entries(GOVERNED_BOUND_VARIABLES)) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < variable.min || value > variable.max) {
      throw new BulkheadError('AGENT_BOUNDS_INVALID', `${name} must be a whole number from ${variable.min} to ${variable.max} (got ${JSON.stringify(raw.slice(0, 40))}).`, {
        remedy: `Set ${name} to a whole number in range, or remove it to use the default (${GOVERNED_BOUNDS[variable.key]}).`,
      });
    }
    bounds[variable.key] = value;
  }
  return bounds;
}
