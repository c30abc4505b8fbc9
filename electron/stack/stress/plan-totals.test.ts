import { describe, expect, it } from 'vitest';
import { planTotals } from '../../../shared/stress-plan-totals';
import { listProfiles, planOf, scaleProfile } from './profiles';

const builtins = await listProfiles(null);

// The panel describes a run with shared/stress-plan-totals before it starts; the stack runs the scaled
// arrival plan. The two must agree, or the Stress page promises a different run than the one it starts.
describe('planTotals (what the Stress page shows) against the arrival plan the stack runs', () => {
  const overrides = [{}, { durationS: 12 }, { rate: 7 }, { rate: 0.5, durationS: 45 }, { rate: 123.4, durationS: 3.3 }];
  for (const { profile } of builtins) {
    for (const override of overrides) {
      it(`${profile.name} with ${JSON.stringify(override)}`, () => {
        const plan = planOf(scaleProfile(profile, override));
        const totals = planTotals(profile.stages, override);
        expect(totals.plannedRequests).toBe(plan.plannedArrivals);
        expect(totals.durationS).toBeCloseTo(plan.durationMs / 1000, 4);
        expect(totals.peakRate).toBeCloseTo(plan.peakRate, 4);
      });
    }
  }

  it('light over 12 s is 24 requests, not the 60 of its 30 s', () => {
    const light = builtins.find((p) => p.profile.name === 'light')!.profile;
    expect(planTotals(light.stages, { durationS: 12 })).toMatchObject({ plannedRequests: 24, durationS: 12, peakRate: 2 });
  });
});
