// Screenshots of every panel page from a running host, for looking at the UI after a change:
//   node scripts/screenshot-pages.js 'http://127.0.0.1:PORT/?token=…' OUT_DIR [page[:waitMs] …]
// Each page is opened by its hash route, waited for (data-ready), and captured full-page. A page given
// as `limiters?demo=60:20000` waits 20 s after ready (e.g. for the demo load to build up).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [url, out = 'screenshots', ...requested] = process.argv.slice(2);
if (!url) {
  console.error('usage: node scripts/screenshot-pages.js PANEL_URL [OUT_DIR] [page[:waitMs] …]');
  process.exit(2);
}
const pages = requested.length > 0 ? requested : ['overview', 'stress', 'history', 'regression', 'semaphores', 'limiters', 'pool', 'doctor', 'chaos', 'alerts', 'settings'];
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.BULKHEAD_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(url);
  // The link's launch code is traded for a session first; then hash changes keep that session.
  await page.getByTestId('connection-state').filter({ hasText: 'connected' }).waitFor({ timeout: 30_000 });
  for (const entry of pages) {
    const [route, wait = '1500'] = entry.split(':');
    await page.evaluate((hash) => (globalThis.location.hash = hash), `#/${route}`);
    const name = route.split('?')[0];
    await page.locator(`[data-page="${name}"][data-ready="true"]`).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(Number(wait));
    const file = join(out, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(file);
  }
} finally {
  await browser.close();
}
