/**
 * Secrets never reach a log line, a report or the UI unmasked. This masks values that look like
 * secrets, in the shapes they come in — not any word that happens to follow a key-like name:
 *   - the password of a URL (`scheme://user:PASSWORD@host`, up to the last '@', so an unencoded '@'
 *     in the password cannot leave part of it visible);
 *   - `NAME=value` where NAME ends in a secret word (PGPASSWORD=…, OPENAI_API_KEY=…, ?token=…);
 *   - `NAME: value` (headers, YAML, JSON) when the value is quoted or looks like a token rather than
 *     the start of a sentence — `provider.missing_api_key: No openai API key…` keeps its words;
 *   - bearer and basic credentials, well-known key formats (sk-, sk-ant-, GitHub, Slack, AWS, JWT);
 *   - long high-entropy strings (mixed case and digits, 32+ characters) that name no known id.
 */

export const MASK = '****';

/** Words a secret's name ends with: PGPASSWORD, DB_PASSWD, client_secret, x-api-key, access_token … */
const SECRET_WORD = String.raw`(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|secret[_-]?key|credentials?|authorization|cookie)`;
/** A name (identifier, dotted or dashed) that ends in a secret word, optionally quoted. */
const SECRET_NAME = String.raw`(?<![A-Za-z0-9_.-])(["']?)([A-Za-z0-9_.-]*?${SECRET_WORD})\1`;

const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:'"<>]*:)([^\s'"<>]*)@/gi;
const ASSIGNED = new RegExp(String.raw`${SECRET_NAME}(\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'&]+))`, 'gi');
const LABELLED = new RegExp(String.raw`${SECRET_NAME}(\s*:[ \t]*)(?!\/\/)(?:"([^"]*)"|'([^']*)'|([^\s"',;]+)([,;]?)(?=([ \t]+[A-Za-z])?))`, 'gi');
const AUTH_SCHEME = /\b(Bearer|Basic|Token)(\s+)(?=[A-Za-z0-9._~+/=-]*[0-9A-Z+/=_.~-])[A-Za-z0-9._~+/=-]{8,}/g;
/** `Authorization: Bearer …`: the scheme word stays, AUTH_SCHEME masks what follows it. */
const AUTH_SCHEME_WORD = /^(?:Bearer|Basic|Token)$/;
const KNOWN_KEYS: readonly [RegExp, string][] = [
  [/\b(sk-(?:ant-)?[A-Za-z0-9_-]{2})[A-Za-z0-9_-]{10,}/g, `$1${MASK}`],
  [/\b(gh[pousr]_)[A-Za-z0-9]{20,}/g, `$1${MASK}`],
  [/\b(github_pat_)[A-Za-z0-9_]{20,}/g, `$1${MASK}`],
  [/\b(xox[abprs]-)[A-Za-z0-9-]{10,}/g, `$1${MASK}`],
  [/\b(AKIA)[0-9A-Z]{16}\b/g, `$1${MASK}`],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, MASK],
];
const LONG_TOKEN = /(?<![A-Za-z0-9+/_=-])[A-Za-z0-9+/_=-]{32,}(?![A-Za-z0-9+/_=-])/g;
/** Ids that are long and random but no secret: provider request ids, our run ids. */
const KNOWN_ID = /^(?:chatcmpl-|req_|msg_|resp_|run-|chaos-|doctor-|bulkhead)/;

export function redact(text: string): string {
  let out = text.replace(URL_PASSWORD, `$1${MASK}@`);
  out = out.replace(AUTH_SCHEME, `$1$2${MASK}`);
  out = maskSecretPairs(out);
  for (const [pattern, replacement] of KNOWN_KEYS) out = out.replace(pattern, replacement);
  return out.replace(LONG_TOKEN, (token) => (looksRandom(token) ? MASK : token));
}

/** Only the `NAME=value` / `NAME: value` rule (for text whose URLs and keys were already handled). */
export function maskSecretPairs(text: string): string {
  const assigned = text.replace(ASSIGNED, (match, quote: string, name: string, equals: string, doubleQuoted?: string, singleQuoted?: string, bare?: string) => {
    const value = doubleQuoted ?? singleQuoted ?? bare ?? '';
    if (value === '' || value === MASK) return match;
    const wrap = doubleQuoted !== undefined ? '"' : singleQuoted !== undefined ? "'" : '';
    return `${quote}${name}${quote}${equals}${wrap}${MASK}${wrap}`;
  });
  return assigned.replace(
    LABELLED,
    (match, quote: string, name: string, colon: string, doubleQuoted?: string, singleQuoted?: string, bare?: string, punctuation?: string, prose?: string) => {
      const quoted = doubleQuoted ?? singleQuoted;
      if (quoted !== undefined) {
        if (quoted === '' || quoted === MASK) return match;
        const wrap = doubleQuoted !== undefined ? '"' : "'";
        return `${quote}${name}${quote}${colon}${wrap}${MASK}${wrap}`;
      }
      const value = bare ?? '';
      // "missing_api_key: No openai API key is configured": a plain word that starts a sentence is not a secret.
      if (value === MASK || (/^[A-Za-z]+$/.test(value) && prose !== undefined) || AUTH_SCHEME_WORD.test(value)) return match;
      return `${quote}${name}${quote}${colon}${MASK}${punctuation ?? ''}`;
    },
  );
}

/**
 * A generated secret rather than a word, path or identifier: mixed case and digits, many distinct
 * characters (≥ 4 bits each), and the character class changing often — camelCase names change class
 * about once a word (≈ 0.3 of positions), random base64 about every other character (≈ 0.6).
 */
function looksRandom(token: string): boolean {
  if (KNOWN_ID.test(token)) return false;
  if (!/[a-z]/.test(token) || !/[A-Z]/.test(token) || !/[0-9]/.test(token)) return false;
  // Paths and dashed names are runs of words; a secret rarely has more than three separators.
  if ((token.match(/[/_-]/g) ?? []).length > 3) return false;
  return entropyBitsPerChar(token) >= 4 && classChangeRate(token) >= 0.42;
}

function classChangeRate(text: string): number {
  const classOf = (char: string): number => (char >= 'a' && char <= 'z' ? 0 : char >= 'A' && char <= 'Z' ? 1 : char >= '0' && char <= '9' ? 2 : 3);
  let changes = 0;
  for (let i = 1; i < text.length; i++) if (classOf(text[i]!) !== classOf(text[i - 1]!)) changes++;
  return changes / (text.length - 1);
}

function entropyBitsPerChar(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
