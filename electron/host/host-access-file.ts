import { chmodSync, closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** In the data dir (0700): how local clients find the running host and prove they may ask it for links. */
export const HOST_ACCESS_FILE = 'host.json';

export const HostAccessSchema = z.object({
  version: z.literal(1),
  pid: z.number().int(),
  port: z.number().int().min(1).max(65535),
  origin: z.string(),
  /** The host secret. Whoever can read this file can open the panel: it is 0600 in a 0700 folder. */
  secret: z.string().min(32),
  startedAt: z.number(),
});
export type HostAccess = z.infer<typeof HostAccessSchema>;

export function hostAccessPath(dataDir: string): string {
  return join(dataDir, HOST_ACCESS_FILE);
}

/**
 * Publishes the running host for local clients (`bulkhead open`, and later anything that hands work to
 * the running panel). Written to a temp file created 0600 and renamed into place, so no reader ever
 * sees half a file or a moment of looser permissions, whatever the umask.
 */
export function writeHostAccess(dataDir: string, access: HostAccess): () => void {
  const path = hostAccessPath(dataDir);
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(access, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (process.platform !== 'win32') chmodSync(temp, 0o600);
  renameSync(temp, path);
  // Removes the file only while it is still ours (a later host on this data dir may have replaced it).
  return () => {
    if (readHostAccess(dataDir)?.secret !== access.secret) return;
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  };
}

/** The published host of a data dir, or null when there is none (or the file is unreadable). */
export function readHostAccess(dataDir: string): HostAccess | null {
  try {
    const parsed = HostAccessSchema.safeParse(JSON.parse(readFileSync(hostAccessPath(dataDir), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
