/**
 * Secrets never reach a log line, a report or the UI unmasked. This masks the shapes they come in:
 * passwords inside connection URLs, key=value pairs with secret-ish names, bearer tokens and
 * provider API keys.
 */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*:)([^@/?#\s]+)(@)/gi;
// Also prefixed names: PGPASSWORD=, OPENAI_API_KEY=, DB_PASSWORD: …
const SECRET_PAIR = /\b([A-Za-z0-9_]*(?:password|passwd|pwd|secret|token|api[_-]?key|authorization)\s*[=:]\s*)("?)([^\s"&;,]+)\2/gi;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g;
const PROVIDER_KEY = /\b(sk-(?:ant-)?[A-Za-z0-9_-]{2})[A-Za-z0-9_-]{10,}/g;

export const MASK = '****';

export function redact(text: string): string {
  return text
    .replace(URL_PASSWORD, `$1${MASK}$3`)
    .replace(BEARER, `$1${MASK}`)
    .replace(SECRET_PAIR, `$1$2${MASK}$2`)
    .replace(PROVIDER_KEY, `$1${MASK}`);
}
