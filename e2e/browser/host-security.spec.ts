/// <reference lib="dom" />
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures';

/**
 * What a real browser does when another site tries to reach the panel: it sends its own Origin, and
 * the host must refuse both the page's fetch and its WebSocket, even though the host is on loopback.
 */
test('a page on another origin cannot open the WebSocket or read the panel', async ({ page, host }) => {
  const foreign: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>elsewhere</title>');
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  try {
    await page.goto(`http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`);
    const result = await page.evaluate(async ({ port, token }) => {
      const ws = await new Promise<string>((resolve) => {
        const socket = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`);
        socket.onopen = () => resolve('open');
        socket.onerror = () => resolve('refused');
      });
      const fetched = await fetch(`http://127.0.0.1:${port}/?token=${token}`, { mode: 'cors' }).then(
        () => 'readable',
        () => 'blocked',
      );
      return { ws, fetched };
    }, { port: host.port, token: host.token });
    expect(result).toEqual({ ws: 'refused', fetched: 'blocked' });
  } finally {
    foreign.close();
  }
});

test('the host answers a request without the token with 401 and a way forward', async ({ request, host }) => {
  const response = await request.get(`${host.origin}/`, { maxRedirects: 0 });
  expect(response.status()).toBe(401);
  expect(await response.json()).toMatchObject({ error: { code: 'UNAUTHORIZED', remedy: expect.stringContaining('URL') } });
});
