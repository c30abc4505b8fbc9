import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/temp-dir';
import { BUILTIN_PROFILE_NAMES, listProfiles, planOf, profileByName, profileFromArgument, savedProfilesDir, scaleProfile, validateProfile } from './profiles';

const dirs: Array<{ remove: () => void }> = [];
afterEach(() => dirs.splice(0).forEach((dir) => dir.remove()));

function failure(fn: () => unknown): { code: string; message: string; remedy?: string } {
  try {
    fn();
  } catch (error) {
    return error as { code: string; message: string; remedy?: string };
  }
  throw new Error('expected a failure');
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string; remedy?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string; remedy?: string };
  }
  throw new Error('expected a failure');
}

const valid = {
  name: 'mine',
  stages: [{ executor: 'constant-arrival-rate', durationS: 10, rate: 5 }],
  maxVUs: 50,
};

describe('stress profiles', () => {
  it('ships the five built-in profiles, all valid, in order', async () => {
    const list = await listProfiles(null);
    expect(list.map((p) => p.profile.name)).toEqual([...BUILTIN_PROFILE_NAMES]);
    for (const { profile, builtin } of list) {
      expect(builtin).toBe(true);
      expect(profile.description.length).toBeGreaterThan(20);
      expect(planOf(profile).plannedArrivals).toBeGreaterThan(0);
    }
  });

  it('applies defaults to a minimal custom profile', () => {
    const profile = validateProfile(valid, 'mine.json');
    expect(profile.mix).toEqual({ 'rag-answer': 1 });
    expect(profile.gracefulStopS).toBe(10);
    expect(profile.thresholds).toEqual({});
  });

  it('names the field path and the fix for a bad stage', () => {
    const error = failure(() =>
      validateProfile({ ...valid, stages: [valid.stages[0], { executor: 'ramping-arrival-rate', durationS: 10, fromRate: 5, toRate: -3 }] }, 'bad.json'),
    );
    expect(error.code).toBe('STRESS_BAD_PROFILE');
    expect(error.message).toContain('bad.json');
    expect(error.message).toContain('stages[1].toRate');
    expect(error.remedy).toContain('arrivals per second');
  });

  it('explains an unknown executor and an unknown field', () => {
    const executor = failure(() => validateProfile({ ...valid, stages: [{ executor: 'constant-vus', durationS: 10, rate: 5 }] }, 'x'));
    expect(executor.message).toContain('stages[0].executor');
    expect(executor.remedy).toContain('constant-arrival-rate');
    const extra = failure(() => validateProfile({ ...valid, vus: 10 }, 'x'));
    expect(extra.message).toContain('vus');
    expect(extra.remedy).toContain('remove the unknown field "vus"');
  });

  it('reports a bad threshold with its path inside the profile', () => {
    const error = failure(() => validateProfile({ ...valid, thresholds: { latency_ms: ['p95<800'] } }, 'x.json'));
    expect(error.message).toContain('thresholds.latency_ms[0]');
    expect(error.remedy).toContain('p(95)<800');
  });

  it('refuses a profile that would start nothing', () => {
    const error = failure(() => validateProfile({ ...valid, stages: [{ executor: 'constant-arrival-rate', durationS: 10, rate: 0 }] }, 'x'));
    expect(error.message).toContain('every rate is 0');
  });

  it('scales the peak rate and the total duration, keeping the shape', async () => {
    const heavy = (await profileByName('heavy', null)).profile;
    const scaled = scaleProfile(heavy, { rate: 120, durationS: 30 });
    const before = planOf(heavy);
    const after = planOf(scaled);
    expect(after.peakRate).toBe(120);
    expect(after.durationMs).toBe(30_000);
    expect(after.rateAt(after.durationMs / 2)).toBeCloseTo((before.rateAt(before.durationMs / 2) * 120) / before.peakRate, 6);
  });

  it('finds saved profiles and JSON files, and says which names exist when one is unknown', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    mkdirSync(savedProfilesDir(dir.path), { recursive: true });
    writeFileSync(join(savedProfilesDir(dir.path), 'mine.json'), JSON.stringify(valid));
    writeFileSync(join(savedProfilesDir(dir.path), 'broken.json'), '{"name": ');
    const skipped: string[] = [];
    expect((await listProfiles(dir.path, (path) => skipped.push(path))).map((p) => p.profile.name)).toContain('mine');
    expect(skipped).toHaveLength(1);
    expect((await profileByName('mine', dir.path)).builtin).toBe(false);
    const file = join(dir.path, 'other.json');
    writeFileSync(file, JSON.stringify({ ...valid, name: 'other' }));
    expect((await profileFromArgument(file, null)).profile.name).toBe('other');
    const unknown = await rejection(profileByName('haevy', dir.path));
    expect(unknown.code).toBe('STRESS_PROFILE_NOT_FOUND');
    expect(unknown.remedy).toContain('heavy');
    const syntax = await rejection(profileFromArgument(join(savedProfilesDir(dir.path), 'broken.json'), null));
    expect(syntax.message).toContain('not valid JSON (it ends early)');
  });
});
