#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into build-electron/, leaving node_modules' Node build alone
// (docs/native-modules.md: one ABI per binary; `npm test` runs under Node). Needs Electron's headers from the network
// once. Used by `npm start` (when Electron can run) and `npm run dist`.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
const work = mkdtempSync(join(tmpdir(), 'bulkhead-sqlite-electron-'));
try {
  cpSync(sqliteDir, work, { recursive: true, filter: (src) => !src.includes(`${join(sqliteDir, 'build')}`) });
  const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
  const result = spawnSync(
    process.execPath,
    [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers', `--arch=${process.arch}`],
    { cwd: work, stdio: 'inherit' },
  );
  if (result.status !== 0) {
    console.error(`\nCould not build better-sqlite3 for Electron ${electronVersion} (it needs Electron's headers from electronjs.org once).`);
    process.exit(1);
  }
  mkdirSync('build-electron', { recursive: true });
  cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), join('build-electron', 'better_sqlite3.node'));
  console.log(`build-electron/better_sqlite3.node built for Electron ${electronVersion}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
