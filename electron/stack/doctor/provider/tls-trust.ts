import { statSync } from 'node:fs';

/**
 * What the doctor can say about NODE_EXTRA_CA_CERTS: Node reads it once, when the process starts, so a
 * value that differs from the one this process started with (or names no file) does not count yet.
 */
export function extraCaCertsNote(env: NodeJS.ProcessEnv): string | null {
  const configured = env.NODE_EXTRA_CA_CERTS?.trim();
  const started = process.env.NODE_EXTRA_CA_CERTS?.trim();
  if (!configured && !started) return null;
  if (configured && configured !== started) return `NODE_EXTRA_CA_CERTS=${configured} is not in effect: Node reads it only when the process starts — restart Bulkhead with it set`;
  const path = started ?? '';
  try {
    if (!statSync(path).isFile()) return `NODE_EXTRA_CA_CERTS=${path} is not a regular file: Node ignored it`;
  } catch {
    return `NODE_EXTRA_CA_CERTS=${path}: no such file — Node ignored it (it warned once at start)`;
  }
  return `NODE_EXTRA_CA_CERTS=${path} is in effect (its CAs are trusted besides Node's own)`;
}
