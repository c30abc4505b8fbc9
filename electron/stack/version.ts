import { readFileSync } from 'node:fs';

/** Bulkhead's version from package.json (two levels up from this folder in the source and in the bundle). */
export function readVersion(): string {
  try {
    const url = new URL('../../package.json', import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
