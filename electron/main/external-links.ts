/**
 * Links the panel may open in the user's browser. Everything else is refused: the renderer shows
 * documentation links, nothing user-controlled.
 */
const ALLOWED_EXTERNAL_ORIGINS = new Set([
  'https://github.com',
  'https://platform.openai.com',
  'https://docs.anthropic.com',
  'https://www.postgresql.org',
  'https://node-postgres.com',
  'https://k6.io',
  'https://grafana.com',
]);

export function isAllowedExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' && ALLOWED_EXTERNAL_ORIGINS.has(url.origin);
  } catch {
    return false;
  }
}
