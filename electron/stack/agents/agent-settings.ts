import type { StressProfile } from '../../../shared/contract/stress-profile';
import type { SettingsPatch } from '../providers/simulator/sim-config';

/**
 * The bounds of governed mode, sized for a 2-core laptop against the stress simulator's 5 requests/s:
 * enough agents in flight to keep the provider busy (6 agents at ~0.35 s per answer can do ~17/s, enough
 * to use the simulator's initial burst too) without a long line at the limiter, a short queue in front
 * of them (a longer one would only add latency: the provider limit is the bottleneck), and a wait
 * timeout that sheds the rest fast.
 */
export interface GovernedBounds {
  /** Agent requests admitted at once (the agent semaphore). */
  agentPermits: number;
  /** Requests allowed to wait for a permit; the next is shed at once (QueueFullError). */
  agentMaxWaiting: number;
  /** A request waiting longer than this for a permit is shed (TimeoutError). */
  agentWaitTimeoutMs: number;
  /** Retrieval sub-queries of one request that may hold a pooled client at once. */
  retrievalFanOut: number;
  /** Sockets to the provider (the undici pool's cap). */
  providerConnections: number;
}

export const GOVERNED_BOUNDS: GovernedBounds = {
  agentPermits: 6,
  agentMaxWaiting: 12,
  agentWaitTimeoutMs: 1_000,
  // One sub-query at a time per request: a request then never holds more than one pooled client, so
  // the database sees at most `agentPermits` busy connections, however the queries stall.
  retrievalFanOut: 1,
  providerConnections: 16,
};

/** The before-state's settings: no bounds, and the hand-rolled retry loop's count. */
export const UNBOUNDED_BOUNDS = {
  /** As good as unlimited (Node's global fetch dispatcher has no cap). */
  providerConnections: 4096,
  naiveRetries: 3,
} as const;

/**
 * The in-process simulator during stress runs: 300 requests/min (5/s, a low account tier) — tight
 * enough that unbounded mode meets a 429 storm within the heavy profile even after its initial burst
 * of a minute's quota — a token limit that does not bind first, and a
 * provider-like latency (150 ms + 1.5 ms per output token + up to 100 ms jitter). A profile's
 * `simulator` block overrides any of these.
 */
export const STRESS_SIMULATOR = { rpm: 300, tpm: 2_000_000, latencyMs: 150, perTokenMs: 1.5, jitterMs: 100 } as const;

export function simulatorSettingsFor(profile: StressProfile): SettingsPatch {
  const s = { ...STRESS_SIMULATOR, ...profile.simulator };
  const congestion = profile.simulator?.congestion;
  return {
    openai: { rpm: s.rpm, tpm: s.tpm },
    anthropic: { rpm: s.rpm, itpm: s.tpm },
    latency: { baseMs: s.latencyMs, perTokenMs: s.perTokenMs, jitterMs: s.jitterMs },
    ...(congestion
      ? {
          congestion: {
            enabled: true,
            knee: congestion.knee,
            slope: congestion.slope,
            cliff: congestion.cliff,
            capacityChanges: congestion.capacityChanges.map((change) => ({ atMs: change.atS * 1000, factor: change.factor })),
          },
        }
      : {}),
  };
}
