import type { ProfileInfo, RunRecord } from '../../../../shared/contract';

/** Two profiles shaped like the built-in light and heavy ones, for the Stress form's tests. */
export const TEST_PROFILES: ProfileInfo[] = [
  {
    profile: {
      name: 'light',
      description: 'A smoke test: 2 requests per second for 30 s.',
      mix: { 'rag-answer': 1 },
      stages: [{ executor: 'constant-arrival-rate', durationS: 30, rate: 2 }],
      maxVUs: 100,
      gracefulStopS: 10,
      thresholds: { latency_ms: ['p(95)<1500'], errors: ['rate<0.01'] },
    },
    builtin: true,
    peakRate: 2,
    durationS: 30,
    plannedRequests: 60,
  },
  {
    profile: {
      name: 'heavy',
      description: 'Six times the quota.',
      mix: { 'rag-answer': 1 },
      stages: [
        { executor: 'ramping-arrival-rate', durationS: 10, fromRate: 3, toRate: 30 },
        { executor: 'constant-arrival-rate', durationS: 40, rate: 30 },
        { executor: 'ramping-arrival-rate', durationS: 10, fromRate: 30, toRate: 3 },
      ],
      maxVUs: 1000,
      gracefulStopS: 10,
      thresholds: { latency_ms: ['p(95)<5000'] },
    },
    builtin: true,
    peakRate: 30,
    durationS: 60,
    plannedRequests: 1530,
  },
];

export function testRun(name: string, mode: 'governed' | 'unbounded'): RunRecord {
  return {
    id: `run-${name}`,
    name,
    status: 'completed',
    createdAt: 1,
    startedAt: 1,
    endedAt: 2,
    config: {
      profile: TEST_PROFILES.find((p) => p.profile.name === name)?.profile ?? TEST_PROFILES[0]!.profile,
      mode,
      provider: 'simulator',
      providerUrl: null,
      chaos: null,
      rateOverride: null,
      durationOverrideS: null,
      baseline: null,
      saveBaseline: null,
      source: 'panel',
      providerEndpoint: null,
    },
    summary: null,
    error: null,
  };
}
