#!/usr/bin/env node
// Builds everything that runs outside the TypeScript dev loader:
//   out/renderer   the React panel (Vite)
//   out/main       Electron main, ESM (esbuild; node_modules stay external and ship with the app)
//   out/preload    the preload, one CommonJS file (sandboxed preloads cannot load modules)
//   out/cli        the `bulkhead` command for packaged builds
import { copyFileSync, mkdirSync } from 'node:fs';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';

const started = Date.now();
const step = (name) => process.stderr.write(`build: ${name}\n`);

step('renderer (vite)');
await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });

const node = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };
step('electron main + cli (esbuild)');
// Worker-thread task modules are loaded by URL beside each bundle (WorkerPool falls back from .ts to
// .js when the source is not there), together with the plain-JS worker bootstrap.
const workerTasks = { 'chunk-tasks': 'electron/stack/agents/chunk-tasks.ts', 'demo-tasks': 'electron/stack/demo/demo-tasks.ts' };
const entryPoints = { 'main/index': 'electron/main/index.ts', 'cli/main': 'electron/cli/main.ts' };
for (const bundle of ['main', 'cli']) {
  for (const [name, source] of Object.entries(workerTasks)) entryPoints[`${bundle}/${name}`] = source;
  mkdirSync(`out/${bundle}`, { recursive: true });
  copyFileSync('electron/stack/concurrency/worker-pool/worker-bootstrap.mjs', `out/${bundle}/worker-bootstrap.mjs`);
}
await esbuild({
  ...node,
  entryPoints,
  outdir: 'out',
  format: 'esm',
  packages: 'external',
  external: ['electron'],
  // esbuild's ESM output needs require() for CommonJS dependencies that stayed external.
  banner: { js: "import { createRequire as __bulkheadCreateRequire } from 'node:module'; const require = __bulkheadCreateRequire(import.meta.url);" },
});
step('preload (esbuild, cjs)');
await esbuild({
  ...node,
  entryPoints: { 'preload/index': 'electron/preload/index.ts' },
  outdir: 'out',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  minify: true,
  external: ['electron'],
});
step(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
