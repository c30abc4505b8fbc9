import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { issueMessage, issuePath, PROFILE_MAX_BYTES, PROFILE_NAME_PATTERN, StressProfileSchema, type Stage, type StressProfile } from '../../../shared/contract/stress-profile';
import { BulkheadError } from '../errors';
import { parseJsonText } from '../files/json-text';
import { readRegularFile } from '../files/regular-file';
import { ArrivalPlan, type PlanStage } from './arrival-plan';
import { parseThresholds } from './thresholds';

/**
 * Stress profiles: the built-in ones shipped in resources/stress-profiles, saved ones in the data dir's
 * stress-profiles folder, and any JSON file named on the command line (only there: over the contract a
 * profile is a name or JSON content). Every one is validated the same way, and a bad one is reported
 * with the path of the field and how to fix it — never with the file's text.
 */

export const BUILTIN_PROFILE_NAMES = ['light', 'medium', 'heavy', 'spike', 'endurance', 'congested'] as const;

export interface LoadedProfile {
  readonly profile: StressProfile;
  readonly builtin: boolean;
  /** Where it was read from, for messages. */
  readonly source: string;
}

/** resources/stress-profiles of this checkout or package, found by walking up from this file. */
export function builtinProfilesDir(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'resources', 'stress-profiles');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

export function savedProfilesDir(dataDir: string): string {
  return join(dataDir, 'stress-profiles');
}

const FIELD_HINTS: Record<string, string> = {
  name: 'a short id of lowercase letters, digits, "-" or "_", e.g. "checkout-peak"',
  executor: 'use "constant-arrival-rate" (with rate) or "ramping-arrival-rate" (with fromRate and toRate)',
  durationS: 'seconds, a number above 0 (e.g. 30)',
  rate: 'arrivals per second, a number ≥ 0 (e.g. 20)',
  fromRate: 'arrivals per second at the start of the ramp, ≥ 0',
  toRate: 'arrivals per second at the end of the ramp, ≥ 0',
  stages: 'a list of 1 to 100 stages, e.g. [{"executor":"constant-arrival-rate","durationS":30,"rate":10}]',
  maxVUs: 'a whole number ≥ 1: the most requests in flight at once',
  mix: 'workflow → weight, e.g. {"rag-answer": 9, "ingest": 1}; workflows are rag-answer, ingest, noop',
  gracefulStopS: 'seconds in-flight requests get after the last arrival, 0 to 600',
  thresholds: 'metric → list of k6 expressions, e.g. {"latency_ms": ["p(95)<800"], "errors": ["rate<0.01"]}',
  simulator: 'simulator limits: rpm, tpm, latencyMs, perTokenMs, jitterMs',
  target: 'an HTTP endpoint: {"url": "http://127.0.0.1:8080/chat", "method": "POST", "headers": {…}, "body": "…", "expectStatus": "2xx", "timeoutS": 30, "connections": 64}',
  url: 'an http:// or https:// URL without a user name, password or key in it (send credentials in a header)',
  method: 'GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS',
  headers: 'header name → value, e.g. {"Authorization": "Bearer …"}; no line breaks, no Host or Content-Length',
  body: 'text of at most 32 KiB; {{question}}, {{seq}} and {{uuid}} are filled per request',
  expectStatus: 'status codes and classes that count as success, e.g. "2xx" or "200,204"',
  timeoutS: 'seconds a request may take, above 0 and at most 600',
  connections: 'a whole number from 1 to 10000: the most keep-alive connections to the target',
};

function pathOf(issue: z.core.$ZodIssue): string {
  return issuePath(issue.path) || '(profile)';
}

function hintFor(issue: z.core.$ZodIssue): string {
  const keys = issue.path.filter((key): key is string => typeof key === 'string');
  for (let i = keys.length - 1; i >= 0; i--) {
    const hint = FIELD_HINTS[keys[i]!];
    if (hint) return hint;
  }
  if (issue.code === 'unrecognized_keys') return `remove the ${issueMessage(issue)}; allowed fields are ${Object.keys(FIELD_HINTS).join(', ')}`;
  return 'see resources/stress-profiles/README.md for the format';
}

/** Validates a parsed JSON value as a profile; `source` names it in errors (a file path or "profile"). */
export function validateProfile(value: unknown, source: string): StressProfile {
  const parsed = StressProfileSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5);
    const first = issues[0]!;
    const detail = issues.map((issue) => `${pathOf(issue)}: ${issueMessage(issue)}`).join('; ');
    throw new BulkheadError('STRESS_BAD_PROFILE', `Invalid stress profile ${source} — ${detail}.`, {
      remedy: `${pathOf(first)}: ${hintFor(first)}.`,
    });
  }
  const profile = parsed.data;
  try {
    parseThresholds(profile.thresholds);
  } catch (error) {
    if (error instanceof BulkheadError) {
      throw new BulkheadError('STRESS_BAD_PROFILE', `Invalid stress profile ${source} — ${error.message}`, { remedy: error.remedy, cause: error });
    }
    throw error;
  }
  if (planOf(profile).plannedArrivals === 0) {
    throw new BulkheadError('STRESS_BAD_PROFILE', `Invalid stress profile ${source} — stages: every rate is 0, so the run would start no request.`, {
      remedy: 'Give at least one stage a rate above 0.',
    });
  }
  return profile;
}

/**
 * Reads and validates a profile file: a regular file of at most PROFILE_MAX_BYTES (a FIFO or device is
 * refused without blocking), read asynchronously. Errors name the file and the place, never its text.
 */
export async function readProfileFile(path: string, builtin = false): Promise<LoadedProfile> {
  let text: string;
  try {
    text = await readRegularFile(path, { maxBytes: PROFILE_MAX_BYTES, what: 'The stress profile' });
  } catch (error) {
    if (!(error instanceof BulkheadError)) throw error;
    const code = error.code === 'FILE_NOT_FOUND' || error.code === 'FILE_UNREADABLE' ? 'STRESS_PROFILE_NOT_FOUND' : 'STRESS_BAD_PROFILE';
    throw new BulkheadError(code, error.message, {
      remedy: `${error.remedy ?? 'Check the path.'} Or use a built-in profile: ${BUILTIN_PROFILE_NAMES.join(', ')}.`,
      cause: error,
    });
  }
  const json = parseJsonText(text, `The stress profile ${path}`, 'STRESS_BAD_PROFILE');
  return { profile: validateProfile(json, path), builtin, source: path };
}

/** Built-in profiles first (in their documented order), then saved ones; a broken saved file is skipped. */
export async function listProfiles(dataDir: string | null, onSkipped?: (path: string, error: unknown) => void): Promise<LoadedProfile[]> {
  const list: LoadedProfile[] = [];
  const builtinDir = builtinProfilesDir();
  if (builtinDir) {
    for (const name of BUILTIN_PROFILE_NAMES) {
      const path = join(builtinDir, `${name}.json`);
      if (existsSync(path)) list.push(await readProfileFile(path, true));
    }
  }
  const savedDir = dataDir ? savedProfilesDir(dataDir) : null;
  const saved = savedDir ? await readdir(savedDir).catch(() => [] as string[]) : [];
  for (const file of saved.filter((f) => f.endsWith('.json')).sort()) {
    const path = join(savedDir!, file);
    try {
      const loaded = await readProfileFile(path);
      if (!list.some((p) => p.profile.name === loaded.profile.name)) list.push(loaded);
    } catch (error) {
      onSkipped?.(path, error);
    }
  }
  return list;
}

/** A built-in or saved profile by name. Only names: a path is not a name and is refused as such. */
export async function profileByName(name: string, dataDir: string | null): Promise<LoadedProfile> {
  const list = PROFILE_NAME_PATTERN.test(name) ? await listProfiles(dataDir) : [];
  const found = list.find((p) => p.profile.name === name);
  if (found) return found;
  const names = (list.length > 0 ? list : await listProfiles(dataDir)).map((p) => p.profile.name);
  throw new BulkheadError('STRESS_PROFILE_NOT_FOUND', PROFILE_NAME_PATTERN.test(name) ? `There is no stress profile named "${name}".` : 'A stress profile is chosen by name here, and that is not a profile name.', {
    remedy: `Use one of: ${names.join(', ')}.`,
  });
}

/** A profile sent as content (already schema-checked by the contract): the same checks as a file's. */
export function profileFromContent(profile: StressProfile): LoadedProfile {
  return { profile: validateProfile(profile, `"${profile.name}" (sent as JSON)`), builtin: false, source: 'content' };
}

/** What a run names: a profile's name, or its content. */
export function resolveProfileParam(param: string | StressProfile, dataDir: string | null): Promise<LoadedProfile> {
  return typeof param === 'string' ? profileByName(param, dataDir) : Promise.resolve(profileFromContent(param));
}

/** True when the CLI's `--profile` argument names a file rather than a profile (a .json suffix or a slash). */
export function isProfilePath(argument: string): boolean {
  return argument.endsWith('.json') || argument.includes('/') || argument.includes('\\');
}

/** The CLI's `--profile`: a profile file (read and sent as content) or a name. */
export async function profileFromArgument(argument: string, dataDir: string | null, cwd = process.cwd()): Promise<LoadedProfile> {
  return isProfilePath(argument) ? readProfileFile(resolve(cwd, argument)) : profileByName(argument, dataDir);
}

function toPlanStage(stage: Stage): PlanStage {
  return stage.executor === 'constant-arrival-rate'
    ? { kind: 'constant', durationMs: stage.durationS * 1000, rate: stage.rate }
    : { kind: 'ramping', durationMs: stage.durationS * 1000, fromRate: stage.fromRate, toRate: stage.toRate };
}

export function planOf(profile: StressProfile): ArrivalPlan {
  return new ArrivalPlan(profile.stages.map(toPlanStage));
}

/**
 * `--rate N` makes N the profile's peak arrival rate and `--duration S` its total length; every stage
 * keeps its share of the shape. Returns the profile as it will run (persisted with the run).
 */
export function scaleProfile(profile: StressProfile, overrides: { rate?: number | undefined; durationS?: number | undefined }): StressProfile {
  const plan = planOf(profile);
  const rateFactor = overrides.rate === undefined || plan.peakRate === 0 ? 1 : overrides.rate / plan.peakRate;
  const timeFactor = overrides.durationS === undefined ? 1 : overrides.durationS / (plan.durationMs / 1000);
  const round = (value: number): number => Math.round(value * 1e6) / 1e6;
  const stages = profile.stages.map((stage): Stage =>
    stage.executor === 'constant-arrival-rate'
      ? { ...stage, durationS: round(stage.durationS * timeFactor), rate: round(stage.rate * rateFactor) }
      : { ...stage, durationS: round(stage.durationS * timeFactor), fromRate: round(stage.fromRate * rateFactor), toRate: round(stage.toRate * rateFactor) },
  );
  return { ...profile, stages };
}
