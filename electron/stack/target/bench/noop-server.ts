/**
 * The benchmark's target: a node:http server that answers every request with 2 bytes at once and
 * counts them. Prints {"port"} when listening; answers each line on stdin with {"count"}.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';

let count = 0;
const server = createServer((req, res) => {
  count += 1;
  req.resume();
  res.end('ok');
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
createInterface({ input: process.stdin }).on('line', () => process.stdout.write(`${JSON.stringify({ count })}\n`));
process.stdin.on('end', () => {
  server.closeAllConnections();
  server.close();
});
