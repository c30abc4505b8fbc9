#!/usr/bin/env node
// Assembles the `bulkhead-governance` package from the stack's own sources (nothing is copied into the
// repo): esbuild bundles electron/stack/library/{index,pg}.ts into packages/bulkhead-governance/dist, and
// tsc writes their declarations, rewritten so relative imports carry `.js` (what Node's ESM resolution —
// and TypeScript's nodenext — need). Dependencies stay external; the package declares them.
//   node scripts/build-library.js          build
//   node scripts/build-library.js --pack   build, then `npm pack` into packages/bulkhead-governance/
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const packageDir = join(root, 'packages/bulkhead-governance');
const dist = join(packageDir, 'dist');
const entries = { index: 'electron/stack/library/index.ts', pg: 'electron/stack/library/pg.ts' };
const step = (name) => process.stderr.write(`build-library: ${name}\n`);

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

step('bundle (esbuild)');
await build({
  absWorkingDir: root,
  entryPoints: entries,
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
  legalComments: 'none',
});
// WorkerPool starts this plain-JS file beside the bundle (new URL('./worker-bootstrap.mjs', import.meta.url)).
copyFileSync(join(root, 'electron/stack/concurrency/worker-pool/worker-bootstrap.mjs'), join(dist, 'worker-bootstrap.mjs'));

step('declarations (tsc)');
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.library.json')], { cwd: root, stdio: 'inherit' });
const typesDir = join(dist, 'types');
for (const file of walk(typesDir)) {
  if (file.endsWith('.d.ts')) writeFileSync(file, withJsExtensions(file, readFileSync(file, 'utf8')));
}
for (const name of Object.keys(entries)) {
  writeFileSync(join(dist, `${name}.d.ts`), `export * from './types/electron/stack/library/${name}.js';\n`);
}

if (process.argv.includes('--pack')) {
  step('npm pack');
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', packageDir], { cwd: packageDir, encoding: 'utf8' });
  const [info] = JSON.parse(out);
  // One JSON line on stdout (the package test reads it): where the tarball is and how big.
  process.stdout.write(`${JSON.stringify({ tarball: join(packageDir, info.filename), size: info.size, unpackedSize: info.unpackedSize, files: info.entryCount })}\n`);
}
step('done');

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

/** `from '../clock/clock'` → `from '../clock/clock.js'` (or `…/index.js` for a folder), in imports and import() types. */
function withJsExtensions(file, text) {
  return text.replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]+)\2/g, (match, head, quote, specifier) => {
    if (/\.(js|mjs|cjs|json)$/.test(specifier)) return match;
    const base = resolve(dirname(file), specifier.replace(/\.ts$/, ''));
    const target = existsSync(`${base}.d.ts`) ? `${specifier.replace(/\.ts$/, '')}.js` : existsSync(join(base, 'index.d.ts')) ? `${specifier}/index.js` : `${specifier.replace(/\.ts$/, '')}.js`;
    return `${head}${quote}${target}${quote}`;
  });
}
