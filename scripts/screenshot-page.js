#!/usr/bin/env node
// Developer aid: start `bulkhead serve` on a fresh data dir, open one panel page in Debian Chromium,
// wait for its data-ready marker, save a screenshot, stop everything.
//   node scripts/screenshot-page.js overview /tmp/overview.png [--wait-ms 3000] [--keep-data DIR]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { 'wait-ms': { type: 'string', default: '2000' }, 'data-dir': { type: 'string' } },
});
const [page = 'overview', out = `/tmp/${page}.png`] = positionals;
// Always from a fresh build: `serve` uses out/renderer as it is.
spawnSync(process.execPath, ['scripts/build.js'], { stdio: 'ignore' });
const dataDir = values['data-dir'] ?? mkdtempSync(join(tmpdir(), 'bulkhead-shot-'));
const host = spawn(process.execPath, ['bin/bulkhead.js', 'serve', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let text = '';
  host.stdout.on('data', (chunk) => {
    text += chunk;
    const match = /https?:\/\/127\.0\.0\.1:\d+\/#code=[\w-]+/.exec(text);
    if (match) resolve(match[0]);
  });
  host.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
});
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
});
try {
  const tab = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  tab.on('console', (message) => message.type() === 'error' && console.error('console:', message.text()));
  // The printed launch link opens one page when its fragment names it: #/PAGE?code=… (single use).
  await tab.goto(url.replace('#code=', `#/${page}?code=`));
  await tab.waitForSelector('[data-ready="true"]', { timeout: 30_000 });
  await tab.waitForTimeout(Number(values['wait-ms']));
  await tab.screenshot({ path: out, fullPage: true });
  console.log(out);
} finally {
  await browser.close();
  host.kill('SIGINT');
}
