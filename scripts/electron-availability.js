// Can the Electron desktop app start here? Answers with a reason a person can act on.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Where the electron package keeps (or would keep) its binary, without triggering its download. */
export function electronBinaryPath() {
  let packageDir;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { path: null, packageDir: null };
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return { path: null, packageDir };
  return { path: join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim()), packageDir };
}

/** Tries electron's own installer once, bounded in time (it needs the network once). */
export function tryDownloadElectron(packageDir, timeoutMs = 90_000) {
  const result = spawnSync(process.execPath, [join(packageDir, 'install.js')], { stdio: 'pipe', timeout: timeoutMs, encoding: 'utf8' });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  const firstError = output.split('\n').find((line) => /error|ENOTFOUND|EAI_AGAIN|ECONN|ETIMEDOUT|fetch failed/i.test(line));
  return { ok: result.status === 0, detail: firstError?.trim() ?? (result.error ? String(result.error) : `exit ${result.status}`) };
}

export function displayAvailable(env = process.env, platform = process.platform) {
  if (platform !== 'linux') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/**
 * Returns {ok: true, binary} or {ok: false, reason} where reason is a plain sentence.
 * `allowDownload` lets the first `npm start` fetch the binary where the network allows it.
 */
export function checkElectron({ allowDownload = true, env = process.env } = {}) {
  if (env.BULKHEAD_NO_ELECTRON) return { ok: false, reason: 'BULKHEAD_NO_ELECTRON is set, so the desktop window is not opened.' };
  let { path, packageDir } = electronBinaryPath();
  if (!displayAvailable(env)) {
    const binaryNote = path && existsSync(path) ? '' : ' (The Electron binary is not downloaded either; the first `npm start` on a machine with a display and network fetches it.)';
    return { ok: false, reason: `there is no display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so a desktop window cannot open.${binaryNote}` };
  }
  if (!packageDir) return { ok: false, reason: 'the electron package is not installed (run npm ci).' };
  if (!path || !existsSync(path)) {
    if (!allowDownload) return { ok: false, reason: 'the Electron binary is not downloaded yet.' };
    process.stderr.write('Downloading the Electron binary (once; needs the network)…\n');
    const download = tryDownloadElectron(packageDir);
    ({ path } = electronBinaryPath());
    if (!download.ok || !path || !existsSync(path)) {
      return { ok: false, reason: `the Electron binary could not be downloaded (${download.detail}).` };
    }
  }
  return { ok: true, binary: path };
}
