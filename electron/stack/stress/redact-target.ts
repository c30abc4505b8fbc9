import type { StressProfile } from '../../../shared/contract/stress-profile';
import { SECRET_HEADER_NAME, type TargetSpec } from '../../../shared/contract/stress-target';
import { MASK, redact } from '../log/redact';

/**
 * A target as it may be stored, logged or reported: a header whose name says it is a credential
 * (Authorization, Cookie, X-Api-Key, …) loses its whole value — except an auth scheme word, kept for
 * the reader (`Bearer ****`); any other header value, the URL and the body keep their text with
 * whatever looks like a secret masked (keys, tokens, long random strings). The run itself uses the
 * unmasked target, which lives only in memory for the run.
 */
export function redactTarget(target: TargetSpec): TargetSpec {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(target.headers)) headers[name] = redactHeaderValue(name, value);
  return {
    ...target,
    url: redact(target.url),
    headers,
    ...(target.body === undefined ? {} : { body: redact(target.body) }),
  };
}

export function redactHeaderValue(name: string, value: string): string {
  if (SECRET_HEADER_NAME.test(name)) {
    const scheme = /^(Bearer|Basic|Token|Digest|ApiKey)\s+\S/i.exec(value);
    return scheme ? `${scheme[1]} ${MASK}` : value === '' ? '' : MASK;
  }
  return redact(value);
}

/** The profile as stored with a run: its target, if any, redacted. */
export function redactProfile(profile: StressProfile): StressProfile {
  return profile.target ? { ...profile, target: redactTarget(profile.target) } : profile;
}
