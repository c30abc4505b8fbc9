export type ElectronCheck = { ok: true; binary: string } | { ok: false; reason: string };
export function electronBinaryPath(): { path: string | null; packageDir: string | null };
export function tryDownloadElectron(packageDir: string, timeoutMs?: number): { ok: boolean; detail: string };
export function displayAvailable(env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): boolean;
export function checkElectron(options?: { allowDownload?: boolean; env?: NodeJS.ProcessEnv }): ElectronCheck;
