#!/usr/bin/env node
// `npm start`: build, then open the desktop app. Where Electron cannot start (no binary and no network
// to fetch it, no display, native module not built for Electron), say why in plain words and start the
// browser host instead, printing the panel URL — so `npm ci && npm start` always ends with a panel.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { checkElectron } from './electron-availability.js';

/**
 * Ctrl+C in a terminal signals the whole process group: this script and the app it started each get
 * their own SIGINT (and `npm start` may forward one more). The app already has its copy, so a signal
 * is passed on only when it could not have arrived by itself, and at most once per window: then one
 * Ctrl+C is one shutdown, never the "second Ctrl+C" that makes the app exit without cleaning up.
 */
const DUPLICATE_SIGNAL_WINDOW_MS = 1000;

const build = spawnSync(process.execPath, ['scripts/build.js'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const electron = checkElectron();
let reason = electron.ok ? null : electron.reason;
if (electron.ok && !existsSync('build-electron/better_sqlite3.node')) {
  process.stderr.write('Building better-sqlite3 for Electron (once)…\n');
  const rebuild = spawnSync(process.execPath, ['scripts/rebuild-native-for-electron.js'], { stdio: 'inherit' });
  if (rebuild.status !== 0) reason = 'better-sqlite3 could not be built for Electron (see above; it needs Electron headers from the network once).';
}

/** The app process running now; signals go to it. */
let current = null;
let lastForwardedAt = 0;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    const now = Date.now();
    if (!current || now - lastForwardedAt < DUPLICATE_SIGNAL_WINDOW_MS) return;
    lastForwardedAt = now;
    // Sent to us alone (`kill <pid>`, a process manager), the app would never hear of it; sent to the
    // group, the app counts this copy as the same Ctrl+C (it ignores repeats within the same window).
    current.kill(signal);
  });
}

if (!reason && electron.ok) {
  const child = spawn(electron.binary, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
  current = child;
  const startedAt = Date.now();
  child.on('exit', (code, signal) => {
    // A desktop app that dies within seconds never showed a window: fall back rather than leave nothing.
    if (code !== 0 && signal === null && Date.now() - startedAt < 5000) {
      fallBackToHost(`Electron exited at start (code ${code}).`);
    } else {
      exitLike(code, signal);
    }
  });
} else {
  fallBackToHost(`The desktop app cannot start here: ${reason}`);
}

function fallBackToHost(why) {
  process.stderr.write(`\n${why}\nStarting the browser host instead: open the URL below in your browser.\n\n`);
  const host = spawn(process.execPath, ['bin/bulkhead.js', 'serve', ...process.argv.slice(2)], { stdio: 'inherit' });
  current = host;
  host.on('exit', exitLike);
}

/** Ends with the app's own exit code; a signal death is reported as a shell would (128 + its number). */
function exitLike(code, signal) {
  process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
}
