/// <reference lib="dom" />
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** A server on another port of 127.0.0.1, as any local program (or a dev server) could run; it records every request. */
async function startOtherServer(): Promise<{ url: string; seen: Array<{ url: string; headers: IncomingHttpHeaders }>; close: () => void }> {
  const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  const server: Server = createServer((request, response) => {
    seen.push({ url: request.url ?? '', headers: request.headers });
    if (request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!doctype html><html><head><title>elsewhere</title><link rel="icon" href="/favicon.ico"></head><body><img src="/pixel.png" alt=""></body></html>');
      return;
    }
    response.writeHead(200, { 'content-type': request.url === '/favicon.ico' ? 'image/x-icon' : 'image/png' });
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => server.close() };
}

const ready = (page: Page, name = 'overview') => expect(page.locator(`[data-page="${name}"]`)).toHaveAttribute('data-ready', 'true');

test('nothing that grants control reaches another port of 127.0.0.1: page load, <img> and favicon carry no credential', async ({ page, context, host }) => {
  const other = await startOtherServer();
  try {
    const link = await host.newLink();
    await page.goto(link);
    await ready(page);
    const credential = await page.evaluate(() => sessionStorage.getItem('bulkhead.session'));
    expect(credential).toBeTruthy();
    expect(page.url()).not.toContain('code=');

    // The panel's tab goes to the other server, which loads an image and the favicon.
    await page.evaluate((url) => (window.location.href = url), `${other.url}/`);
    await expect(page).toHaveTitle('elsewhere');
    await expect.poll(() => other.seen.map((request) => request.url)).toEqual(expect.arrayContaining(['/', '/pixel.png', '/favicon.ico']));

    const secrets = [credential!, host.hostSecret(), new URL(link).hash.slice('#code='.length)];
    for (const request of other.seen) {
      expect(request.headers.cookie, `${request.url} carried a cookie`).toBeUndefined();
      expect(request.headers.authorization, `${request.url} carried Authorization`).toBeUndefined();
      const all = JSON.stringify(request.headers);
      for (const secret of secrets) expect(all, `${request.url} carried a secret`).not.toContain(secret);
    }
    expect(await context.cookies()).toEqual([]);
  } finally {
    other.close();
  }
});

test('the printed link works once: opened again (from history, another tab) it shows a clear page', async ({ page, browser, host }) => {
  await page.goto(host.printedUrl);
  await ready(page);
  expect(page.url()).toBe(`${host.origin}/`);
  // Reload in the same tab keeps working: the session stays in this tab's sessionStorage.
  await page.reload();
  await ready(page);

  const elsewhere = await browser.newContext();
  try {
    const replay = await elsewhere.newPage();
    await replay.goto(host.printedUrl);
    const problem = replay.locator('[data-page="session-problem"]');
    await expect(problem).toHaveAttribute('data-problem', 'LAUNCH_CODE_USED');
    await expect(problem).toContainText('This link was already used');
    await expect(problem).toContainText('npx bulkhead open');
    expect(replay.url()).not.toContain('code=');
    await replay.screenshot({ path: 'test-results/screenshots/link-already-used.png' });
  } finally {
    await elsewhere.close();
  }
});

test('a tab without a link, or with a session the host does not accept, says how to get a new link', async ({ page, host }) => {
  await page.goto(`${host.origin}/`);
  await expect(page.locator('[data-page="session-problem"]')).toHaveAttribute('data-problem', 'NO_SESSION');

  await page.goto(await host.newLink());
  await ready(page);
  await page.evaluate(() => sessionStorage.setItem('bulkhead.session', 'not-a-session-of-this-host'));
  await page.reload();
  await expect(page.getByTestId('signed-out')).toContainText('npx bulkhead open');
  expect(await page.evaluate(() => sessionStorage.getItem('bulkhead.session'))).toBeNull();
});

test('a page on another origin cannot use a stolen credential: WebSocket and calls are refused', async ({ page, host }) => {
  const other = await startOtherServer();
  try {
    await page.goto(await host.newLink());
    await ready(page);
    const credential = await page.evaluate(() => sessionStorage.getItem('bulkhead.session'));
    await page.goto(`${other.url}/`);
    const result = await page.evaluate(
      async ({ origin, credential }) => {
        const ws = await new Promise<string>((resolve) => {
          const socket = new WebSocket(`${origin.replace('http', 'ws')}/ws`, ['bulkhead.v1', `bulkhead.v1.credential.${credential}`]);
          socket.onopen = () => resolve('open');
          socket.onerror = () => resolve('refused');
        });
        const called = await fetch(`${origin}/rpc`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
          body: JSON.stringify({ method: 'app.info', params: {} }),
        }).then(
          () => 'readable',
          () => 'blocked',
        );
        return { ws, called };
      },
      { origin: host.origin, credential },
    );
    expect(result).toEqual({ ws: 'refused', called: 'blocked' });
  } finally {
    other.close();
  }
});

test('the host answers a call without a credential with 401 and a way forward', async ({ request, host }) => {
  const response = await request.post(`${host.origin}/rpc`, { data: { method: 'app.info', params: {} } });
  expect(response.status()).toBe(401);
  expect(await response.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', remedy: expect.stringContaining('bulkhead open') } });
});
