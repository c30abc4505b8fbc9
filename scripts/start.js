#!/usr/bin/env node
// `npm start`: build, then open the desktop app. Where Electron cannot start (no binary and no network
// to fetch it, no display, native module not built for Electron), say why in plain words and start the
// browser host instead, printing the panel URL — so `npm ci && npm start` always ends with a panel.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { checkElectron } from './electron-availability.js';

const build = spawnSync(process.execPath, ['scripts/build.js'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const electron = checkElectron();
let reason = electron.ok ? null : electron.reason;
if (electron.ok && !existsSync('build-electron/better_sqlite3.node')) {
  process.stderr.write('Building better-sqlite3 for Electron (once)…\n');
  const rebuild = spawnSync(process.execPath, ['scripts/rebuild-native-for-electron.js'], { stdio: 'inherit' });
  if (rebuild.status !== 0) reason = 'better-sqlite3 could not be built for Electron (see above; it needs Electron headers from the network once).';
}

if (!reason && electron.ok) {
  const child = spawn(electron.binary, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
  const startedAt = Date.now();
  child.on('exit', (code, signal) => {
    // A desktop app that dies within seconds never showed a window: fall back rather than leave nothing.
    if (code !== 0 && Date.now() - startedAt < 5000) {
      fallBackToHost(`Electron exited at start (${signal ?? `code ${code}`}).`);
    } else {
      process.exit(code ?? 0);
    }
  });
} else {
  fallBackToHost(`The desktop app cannot start here: ${reason}`);
}

function fallBackToHost(why) {
  process.stderr.write(`\n${why}\nStarting the browser host instead: open the URL below in your browser.\n\n`);
  const host = spawn(process.execPath, ['bin/bulkhead.js', 'serve', ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => host.kill(signal));
  host.on('exit', (code) => process.exit(code ?? 0));
}
