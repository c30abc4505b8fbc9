import { resolve } from 'node:path';
import type { StressProfile } from '../../shared/contract/stress-profile';
import {
  bodyProblem,
  checkTargetUrl,
  parseExpectStatus,
  parseHeaderLine,
  TARGET_BODY_MAX_BYTES,
  TARGET_METHODS,
  TargetSpecSchema,
  type TargetSpecInput,
} from '../../shared/contract/stress-target';
import { BulkheadError } from '../stack/errors';
import { readRegularFile } from '../stack/files/regular-file';
import { UsageError } from './command';
import { parseChoiceOption, parseIntOption, parseNumberOption } from './option-parsers';

/** The flags that describe an HTTP target; any of them without --target is a usage error. */
export const TARGET_FLAGS = ['target', 'method', 'header', 'body', 'body-file', 'expect-status', 'timeout', 'connections'] as const;

export const TARGET_OPTIONS = {
  target: { type: 'string' },
  method: { type: 'string' },
  header: { type: 'string', multiple: true },
  body: { type: 'string' },
  'body-file': { type: 'string' },
  'expect-status': { type: 'string' },
  timeout: { type: 'string' },
  connections: { type: 'string' },
} as const;

/** Rate and length of a target run that names no profile. */
export const DEFAULT_TARGET_RATE = 10;
export const DEFAULT_TARGET_DURATION_S = 30;

/**
 * Reads the target flags into a profile `target` block, or null when none was given. Every message
 * names the flag and the fix and never repeats a URL or header value (either may carry a secret). The
 * body file is read here — a regular file, size-capped, read asynchronously — and sent as content.
 */
export async function parseTargetFlags(values: Record<string, unknown>, cwd = process.cwd()): Promise<TargetSpecInput | null> {
  const url = values.target as string | undefined;
  if (url === undefined) {
    const stray = TARGET_FLAGS.find((flag) => values[flag] !== undefined);
    if (stray) throw new UsageError(`--${stray} describes an HTTP target; give --target URL too (e.g. --target http://127.0.0.1:8080/chat).`);
    return null;
  }
  const checked = checkTargetUrl(url);
  if (!checked.ok) throw new UsageError(`--target ${checked.problem}.`);
  const method = parseChoiceOption('method', typeof values.method === 'string' ? values.method.toUpperCase() : values.method, TARGET_METHODS);
  const headers: Record<string, string> = {};
  for (const line of (values.header as string[] | undefined) ?? []) {
    const parsed = parseHeaderLine(line);
    if (!parsed.ok) throw new UsageError(`--header ${parsed.problem}.`);
    headers[parsed.name] = parsed.value;
  }
  if (values.body !== undefined && values['body-file'] !== undefined) throw new UsageError('give either --body or --body-file, not both.');
  let body: string | undefined;
  if (values.body !== undefined) {
    body = String(values.body);
    if (!isJsonTemplate(body)) {
      throw new UsageError('--body is not JSON (with {{question}}, {{seq}} and {{uuid}} read as 0); quote it for the shell, or put any other body in a file and use --body-file F.');
    }
  } else if (values['body-file'] !== undefined) {
    body = await readBodyFile(resolve(cwd, String(values['body-file'])));
  }
  if (body !== undefined) {
    const problem = bodyProblem(body);
    if (problem) throw new UsageError(`--${values.body !== undefined ? 'body' : 'body-file'} ${problem}.`);
  }
  const expectStatus = values['expect-status'] === undefined ? undefined : String(values['expect-status']);
  if (expectStatus !== undefined) {
    const parsed = parseExpectStatus(expectStatus);
    if (!parsed.ok) throw new UsageError(`--expect-status ${parsed.problem}.`);
  }
  const timeoutS = parseNumberOption('timeout', values.timeout, { min: 0.01, max: 600 });
  const connections = parseIntOption('connections', values.connections, { min: 1, max: 10_000 });
  const target: TargetSpecInput = {
    url: checked.url.href,
    headers,
    ...(method === undefined ? {} : { method }),
    ...(body === undefined ? {} : { body }),
    ...(expectStatus === undefined ? {} : { expectStatus }),
    ...(timeoutS === undefined ? {} : { timeoutS }),
    ...(connections === undefined ? {} : { connections }),
  };
  // The same schema the contract applies, so the CLI refuses exactly what the stack would.
  const schema = TargetSpecSchema.safeParse(target);
  if (!schema.success) throw new UsageError(`the target is not valid: ${schema.error.issues[0]?.message ?? 'unknown problem'}.`);
  return target;
}

async function readBodyFile(path: string): Promise<string> {
  try {
    return await readRegularFile(path, { maxBytes: TARGET_BODY_MAX_BYTES, what: 'The request body file' });
  } catch (error) {
    if (error instanceof BulkheadError) throw new UsageError(`--body-file: ${error.message}${error.remedy ? ` ${error.remedy}` : ''}`);
    throw error;
  }
}

function isJsonTemplate(body: string): boolean {
  try {
    JSON.parse(body.replace(/\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/g, '0'));
    return true;
  } catch {
    return false;
  }
}

/**
 * The profile of a target run that names none: a constant arrival rate for a duration, in-flight bound
 * generous enough that only a target holding rate × timeout requests drops arrivals, and the error-rate
 * threshold every built-in profile has.
 */
export function constantTargetProfile(target: TargetSpecInput, rate: number, durationS: number): StressProfile {
  const timeoutS = target.timeoutS ?? 30;
  return {
    name: 'target',
    description: `constant ${rate}/s for ${durationS} s against an HTTP target`,
    mix: { noop: 1 },
    stages: [{ executor: 'constant-arrival-rate', durationS, rate }],
    maxVUs: Math.min(100_000, Math.max(100, Math.ceil(rate * timeoutS))),
    gracefulStopS: Math.min(600, timeoutS),
    thresholds: { errors: ['rate<0.01'] },
    target: TargetSpecSchema.parse(target),
  };
}
