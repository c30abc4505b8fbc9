import { MASK, maskSecretPairs } from '../../log/redact';

const SECRET_NAMES = /PASSWORD|PASSWD|SECRET|TOKEN|KEY$/i;

/**
 * Masks the password of a connection URL, including malformed ones: everything between the first ':'
 * of the user-info and the last '@' is hidden, so an unencoded '@' or '/' inside a password cannot
 * leave part of it visible (over-masking a query value that holds '@' is the safe way to be wrong).
 */
export function maskUrl(url: string): string {
  return maskUserInfo(url).replace(/([?&;](?:password|sslpassword|pwd)=)[^&#;]*/gi, `$1${MASK}`);
}

function maskUserInfo(url: string): string {
  const schemeEnd = url.indexOf('://');
  if (schemeEnd < 0) return url.includes('@') ? `${MASK}@${url.slice(url.lastIndexOf('@') + 1)}` : url;
  const head = url.slice(0, schemeEnd + 3);
  const rest = url.slice(schemeEnd + 3);
  const at = rest.lastIndexOf('@');
  if (at < 0) return url;
  const userInfo = rest.slice(0, at);
  const colon = userInfo.indexOf(':');
  if (colon < 0) return url;
  return `${head}${userInfo.slice(0, colon)}:${MASK}${rest.slice(at)}`;
}

/** A variable's value as it may be shown: URLs lose their password, secret-named values are hidden. */
export function maskVariable(name: string, value: string): string {
  if (SECRET_NAMES.test(name)) return value === '' ? '' : MASK;
  if (/:\/\//.test(value) || name.endsWith('_URL')) return maskUrl(value);
  return value;
}

/**
 * Masks `PGPASSWORD=...`-style assignments inside free text: the log redactor's own rule, so the doctor
 * masks the same values and leaves the same words (an error code like NO_PASSWORD: keeps its sentence).
 */
export function maskSecretAssignments(text: string): string {
  return maskSecretPairs(text);
}
