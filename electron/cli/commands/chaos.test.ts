import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, startEchoServer, waitFor, type EchoServer } from '../../stack/chaos/testing/tcp-fixtures';
import { parseToxicSpec } from '../../stack/chaos/proxy/toxic-spec';
import { EXIT, type CliIo } from '../command';
import { runCli } from '../run-cli';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function harness() {
  let out = '';
  let err = '';
  const controller = new AbortController();
  const stdin = new PassThrough();
  const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTTY: false, env: {}, signal: controller.signal, stdin };
  return { io, stdin, stop: () => controller.abort(), out: () => out, err: () => err };
}

async function echo(): Promise<EchoServer> {
  const server = await startEchoServer();
  cleanups.push(() => server.close());
  return server;
}

describe('bulkhead chaos proxy', () => {
  it('runs a proxy with the given toxics, takes console commands, and stops cleanly on Ctrl+C', async () => {
    const server = await echo();
    const h = harness();
    const exit = runCli(['chaos', 'proxy', '--upstream', `127.0.0.1:${server.port}`, '--toxic', 'upstream:latency=1,jitter=1', '--json'], h.io);
    await waitFor(() => h.out().includes('"listen"'), 'the JSON start line');
    const start = JSON.parse(h.out().split('\n')[0]!) as { listen: string; toxics: Array<{ name: string }> };
    expect(start.toxics.map((t) => t.name)).toEqual(['latency_upstream']);
    const port = Number(start.listen.split(':')[1]);

    const client = await connectClient(port);
    client.send('hello');
    await waitFor(() => client.received().toString() === 'hello', 'echo through the CLI proxy');

    h.stdin.write('add limit_data=3,name=tiny\n');
    await waitFor(() => h.out().includes('added tiny'), 'the add answer');
    h.stdin.write('down\n');
    await client.closed;
    h.stdin.write('status\n');
    await waitFor(() => h.out().includes('"enabled":false'), 'JSON status after down');

    h.stop();
    expect(await exit).toBe(EXIT.ok);
    expect(server.open()).toBe(0);
  });

  it('rejects a bad --toxic with exit 2 and names the problem', async () => {
    const h = harness();
    expect(await runCli(['chaos', 'proxy', '--upstream', '127.0.0.1:5432', '--toxic', 'latency=100,jiter=4'], h.io)).toBe(EXIT.usage);
    expect(h.err()).toContain('latency has no "jiter"; it takes latency, jitter, toxicity, name');
    expect(await runCli(['chaos', 'proxy'], h.io)).toBe(EXIT.usage);
    expect(h.err()).toContain('--upstream HOST:PORT is required');
    expect(await runCli(['chaos', 'explode'], h.io)).toBe(EXIT.usage);
    expect(h.err()).toContain('unknown chaos subcommand "explode" (subcommands: run, list, proxy)');
  });
});

describe('toxic specs', () => {
  it('reads the main value, extra keys, the stream prefix and common keys', () => {
    expect(parseToxicSpec('latency=200,jitter=50')).toEqual({ type: 'latency', attributes: { latency: 200, jitter: 50 } });
    expect(parseToxicSpec('up:timeout=0,toxicity=0.2,name=blackhole')).toEqual({
      type: 'timeout',
      stream: 'upstream',
      toxicity: 0.2,
      name: 'blackhole',
      attributes: { timeout: 0 },
    });
    expect(parseToxicSpec('bandwidth=64')).toMatchObject({ attributes: { rate: 64 } });
    expect(parseToxicSpec('reset-peer=500')).toMatchObject({ type: 'reset_peer', attributes: { timeout: 500 } });
    expect(parseToxicSpec('slicer=64,size_variation=8,delay=100')).toMatchObject({ attributes: { average_size: 64, size_variation: 8, delay: 100 } });
  });

  it('names what is wrong', () => {
    expect(() => parseToxicSpec('lag=5')).toThrow(/unknown type "lag"/);
    expect(() => parseToxicSpec('latency=abc')).toThrow(/latency needs a number/);
    expect(() => parseToxicSpec('bandwidth=0')).toThrow(/rate: Too small/i);
    expect(() => parseToxicSpec('latency=5,toxicity=3')).toThrow(/toxicity/);
  });
});
