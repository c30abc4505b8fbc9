import { z } from 'zod';

/**
 * The `target` block of a stress profile: instead of the built-in agent stack, every arrival sends one
 * HTTP request to a user's endpoint. The same checks run in the zod schema (contract, profile files),
 * the CLI's option parser and the panel's form, so a bad URL, header or body is refused before anything
 * starts or is stored. Messages never repeat a URL or header value: either may carry a secret.
 */

export const TARGET_URL_MAX_LENGTH = 2048;
/** A request body (template) at most this big, so a profile carrying it stays under the profile cap. */
export const TARGET_BODY_MAX_BYTES = 32 * 1024;
export const TARGET_MAX_HEADERS = 50;
export const TARGET_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
/** The variables a body may use: a sample-corpus question, the arrival's 0-based sequence number, a random UUID. */
export const TEMPLATE_VARIABLES = ['question', 'seq', 'uuid'] as const;
export const DEFAULT_TARGET_TIMEOUT_S = 30;
export const DEFAULT_TARGET_CONNECTIONS = 64;

/** Query parameters that carry a credential: refused like user:password (the same rule as provider URLs). */
const SECRET_QUERY = /(?:^|[_.-])(?:key|api[_-]?key|token|access[_-]?token|password|passwd|pwd|secret|sig|signature|auth)$/i;

export type TargetUrlCheck = { ok: true; url: URL } | { ok: false; problem: string };

/** http(s), a host, no credentials in the URL (put them in a header, which is redacted). */
export function checkTargetUrl(text: string): TargetUrlCheck {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, problem: 'is empty; give a URL such as http://127.0.0.1:8080/v1/chat' };
  if (trimmed.length > TARGET_URL_MAX_LENGTH) return { ok: false, problem: `is longer than ${TARGET_URL_MAX_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, problem: 'is not a URL; give one such as http://127.0.0.1:8080/v1/chat' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, problem: `must start with http:// or https:// (got a ${url.protocol.replace(/:$/, '').slice(0, 16)}: URL)` };
  }
  if (url.hostname === '') return { ok: false, problem: 'names no host' };
  const credentialsFix = "send credentials in a header instead (--header 'Authorization: Bearer …'); header values that look like secrets are redacted";
  if (url.username !== '' || url.password !== '') return { ok: false, problem: `must not carry a user name or password; ${credentialsFix}` };
  for (const name of url.searchParams.keys()) {
    if (SECRET_QUERY.test(name)) return { ok: false, problem: `must not carry a key, token or password in its query; ${credentialsFix}` };
  }
  return { ok: true, url };
}

/** An HTTP header name (RFC 9110 token). */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;
/** Headers the connection pool sets itself: refused so a profile cannot break framing. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer']);

/** Why a header line or pair is refused, or null. Never repeats the value. */
export function headerProblem(name: string, value: string): string | null {
  if (!HEADER_NAME.test(name)) return 'has a name that is not an HTTP header name (letters, digits and -)';
  if (RESERVED_HEADERS.has(name.toLowerCase())) return `sets ${name.toLowerCase()}, which the connection pool sets itself`;
  // CR, LF and NUL would split the request; other controls are refused by HTTP parsers.
  if (hasControlCharacter(value)) return `${name} has a control character (a line break?) in its value`;
  if (value.length > 8192) return `${name} has a value longer than 8192 characters`;
  return null;
}

/** Tab is allowed inside a header value; every other C0 control and DEL is not. */
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
  }
  return false;
}

/** `'Name: value'` as the CLI's --header takes it. */
export function parseHeaderLine(line: string): { ok: true; name: string; value: string } | { ok: false; problem: string } {
  const colon = line.indexOf(':');
  if (colon <= 0) return { ok: false, problem: "is not 'Name: value' (e.g. --header 'Authorization: Bearer …')" };
  const name = line.slice(0, colon).trim();
  const value = line.slice(colon + 1).trim();
  const problem = headerProblem(name, value);
  return problem ? { ok: false, problem } : { ok: true, name, value };
}

/**
 * `--expect-status`: which answers count as success. A comma list of codes (`200`, `204`) and classes
 * (`2xx`, `3xx`); default `2xx`. Returns the matcher, or the problem.
 */
export function parseExpectStatus(text: string): { ok: true; matches: (status: number) => boolean } | { ok: false; problem: string } {
  const parts = text.split(',').map((part) => part.trim().toLowerCase());
  const codes = new Set<number>();
  const classes = new Set<number>();
  for (const part of parts) {
    if (/^[1-5]xx$/.test(part)) classes.add(Number(part[0]));
    else if (/^[1-5][0-9][0-9]$/.test(part)) codes.add(Number(part));
    else return { ok: false, problem: 'lists something that is not a status code (100–599) or a class (2xx); e.g. "2xx" or "200,201,304"' };
  }
  return { ok: true, matches: (status) => codes.has(status) || classes.has(Math.floor(status / 100)) };
}

/** Placeholders of a body template, `{{name}}` with optional spaces. */
export const TEMPLATE_PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Why a body template is refused (an unknown variable, too big), or null. */
export function bodyProblem(body: string): string | null {
  if (new TextEncoder().encode(body).length > TARGET_BODY_MAX_BYTES) return `is larger than ${TARGET_BODY_MAX_BYTES / 1024} KiB`;
  for (const match of body.matchAll(TEMPLATE_PLACEHOLDER)) {
    const name = match[1]!;
    if (!(TEMPLATE_VARIABLES as readonly string[]).includes(name)) {
      return `uses {{${name.slice(0, 40)}}}, which is not a template variable; use ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(', ')}`;
    }
  }
  return null;
}

const TargetUrlSchema = z
  .string()
  .max(TARGET_URL_MAX_LENGTH, `a target URL is at most ${TARGET_URL_MAX_LENGTH} characters`)
  .superRefine((value, ctx) => {
    const checked = checkTargetUrl(value);
    if (!checked.ok) ctx.addIssue({ code: 'custom', message: `the target URL ${checked.problem}` });
  })
  .transform((value) => value.trim());

export const TargetSpecSchema = z
  .object({
    url: TargetUrlSchema.describe('http(s) URL every arrival requests'),
    method: z.enum(TARGET_METHODS).optional().describe('default POST with a body, GET without'),
    headers: z
      .record(z.string(), z.string())
      .default({})
      .superRefine((headers, ctx) => {
        const entries = Object.entries(headers);
        if (entries.length > TARGET_MAX_HEADERS) ctx.addIssue({ code: 'custom', message: `at most ${TARGET_MAX_HEADERS} headers` });
        for (const [name, value] of entries) {
          const problem = headerProblem(name, value);
          if (problem) ctx.addIssue({ code: 'custom', message: `the header ${problem}` });
        }
      })
      .describe('header name → value; values that look like secrets are redacted wherever the run is shown or stored'),
    body: z
      .string()
      .superRefine((body, ctx) => {
        const problem = bodyProblem(body);
        if (problem) ctx.addIssue({ code: 'custom', message: `the body ${problem}` });
      })
      .optional()
      .describe('request body; {{question}}, {{seq}} and {{uuid}} are filled per request'),
    expectStatus: z
      .string()
      .default('2xx')
      .superRefine((text, ctx) => {
        const parsed = parseExpectStatus(text);
        if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `expectStatus ${parsed.problem}` });
      })
      .describe('statuses that count as success: codes and classes, e.g. "2xx" or "200,204"'),
    timeoutS: z.number().positive().max(600).default(DEFAULT_TARGET_TIMEOUT_S).describe('a request that has not finished its body after this fails as timeout'),
    connections: z.number().int().min(1).max(10_000).default(DEFAULT_TARGET_CONNECTIONS).describe('most keep-alive connections to the target'),
  })
  .strict();
export type TargetSpec = z.infer<typeof TargetSpecSchema>;
export type TargetSpecInput = z.input<typeof TargetSpecSchema>;

/** The method a target uses: its own, else POST when it has a body and GET when not. */
export function targetMethod(target: Pick<TargetSpec, 'method' | 'body'>): (typeof TARGET_METHODS)[number] {
  return target.method ?? (target.body === undefined ? 'GET' : 'POST');
}

/** Header names whose whole value is a credential (masked entirely, not only when it looks random). */
export const SECRET_HEADER_NAME = /(?:^|[-_])(?:authorization|cookie|token|secret|password|passwd|api[-_]?key|apikey|key|session|signature|auth)$/i;
