import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { BulkheadError } from '../stack/errors';
import type * as Vite from 'vite';

type ViteModule = typeof Vite;

/** The built renderer inside this checkout or package: out/renderer. */
export function rendererDir(): string {
  return fileURLToPath(new URL('../../out/renderer', import.meta.url));
}

/**
 * Makes sure the renderer is built. A source checkout without a build gets one through Vite (a few
 * seconds, once); a package without Vite and without a build is broken and says so.
 */
export async function ensureRendererBuilt(onProgress: (line: string) => void): Promise<string> {
  const dir = rendererDir();
  if (existsSync(join(dir, 'index.html'))) return dir;
  onProgress('Building the panel (first run only)…');
  let vite: ViteModule;
  try {
    vite = await import('vite');
  } catch (error) {
    throw new BulkheadError('RENDERER_MISSING', `The panel is not built (${dir} has no index.html).`, {
      remedy: 'Run `npm run build` in the Bulkhead folder.',
      cause: error,
    });
  }
  await vite.build({
    configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)),
    logLevel: 'warn',
  });
  return dir;
}
