import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface DataDirSources {
  /** `--data-dir` from the command line. */
  flag?: string | undefined;
  /** The environment to read BULKHEAD_DATA_DIR from. */
  env?: NodeJS.ProcessEnv;
  /** Electron's `app.getPath('userData')` when running on the desktop. */
  electronUserData?: string | undefined;
  platform?: NodeJS.Platform;
  home?: string;
}

/**
 * Where Bulkhead keeps its state. Precedence: --data-dir, then BULKHEAD_DATA_DIR, then Electron's
 * userData, then the same folder Electron would use, so the desktop app and the browser host share runs.
 */
export function resolveDataDir(sources: DataDirSources = {}): string {
  const env = sources.env ?? process.env;
  if (sources.flag) return resolve(sources.flag);
  if (env.BULKHEAD_DATA_DIR) return resolve(env.BULKHEAD_DATA_DIR);
  if (sources.electronUserData) return sources.electronUserData;
  const platform = sources.platform ?? process.platform;
  const home = sources.home ?? homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Bulkhead');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Bulkhead');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Bulkhead');
}
