import type { StressProfile, StressProfileInput } from '../../../../shared/contract';
import { bodyProblem, checkTargetUrl, parseExpectStatus, parseHeaderLine, type TARGET_METHODS, type TargetSpecInput } from '../../../../shared/contract/stress-target';

/** The HTTP endpoint part of the Stress form, as typed. */
export interface TargetSetup {
  url: string;
  method: '' | (typeof TARGET_METHODS)[number];
  /** One `Name: value` per line. */
  headers: string;
  body: string;
  expectStatus: string;
  timeoutS: string;
  connections: string;
}

export interface TargetErrors {
  url?: string;
  headers?: string[];
  body?: string;
  expectStatus?: string;
  timeoutS?: string;
  connections?: string;
}

export const EMPTY_TARGET: TargetSetup = { url: '', method: '', headers: '', body: '', expectStatus: '2xx', timeoutS: '30', connections: '64' };

/**
 * Checks the endpoint fields with the same rules the stack applies (shared/contract/stress-target.ts),
 * each problem under its field; messages never repeat a header value (it may be a key).
 */
export function validateTarget(setup: TargetSetup): { target: TargetSpecInput | null; errors: TargetErrors } {
  const errors: TargetErrors = {};
  const url = checkTargetUrl(setup.url);
  if (!url.ok) errors.url = `The URL ${url.problem}.`;
  const headers: Record<string, string> = {};
  setup.headers.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const parsed = parseHeaderLine(line);
    if (parsed.ok) headers[parsed.name] = parsed.value;
    else (errors.headers ??= []).push(`Line ${index + 1} ${parsed.problem}.`);
  });
  const body = setup.body.trim() === '' ? undefined : setup.body;
  if (body !== undefined) {
    const problem = bodyProblem(body);
    if (problem) errors.body = `The body ${problem}.`;
  }
  const expect = parseExpectStatus(setup.expectStatus.trim() === '' ? '2xx' : setup.expectStatus);
  if (!expect.ok) errors.expectStatus = `Expected status ${expect.problem}.`;
  const timeoutS = Number(setup.timeoutS);
  if (!/^\d*\.?\d+$/.test(setup.timeoutS.trim()) || !(timeoutS > 0) || timeoutS > 600) errors.timeoutS = 'Timeout is in seconds: a number above 0 and at most 600.';
  const connections = Number(setup.connections);
  if (!/^\d+$/.test(setup.connections.trim()) || connections < 1 || connections > 10_000) errors.connections = 'Connections is a whole number from 1 to 10,000.';
  if (Object.keys(errors).length > 0 || !url.ok) return { target: null, errors };
  return {
    target: {
      url: url.url.href,
      headers,
      ...(setup.method ? { method: setup.method } : {}),
      ...(body === undefined ? {} : { body }),
      expectStatus: setup.expectStatus.trim() === '' ? '2xx' : setup.expectStatus.trim(),
      timeoutS,
      connections,
    },
    errors,
  };
}

/** The profile a run against the endpoint sends: the picked profile's stages and in-flight bound, with the target. */
export function profileWithTarget(profile: StressProfile, target: TargetSpecInput): StressProfileInput {
  return { ...profile, target };
}
