import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunSample, RunSummary } from '../../../shared/contract/stress';
import type { TargetSpecInput } from '../../../shared/contract/stress-target';
import { systemClock } from '../clock/clock';
import { validateProfile } from '../stress/profiles';
import { StressRunner } from '../stress/stress-runner';
import { parseThresholds } from '../stress/thresholds';
import { HttpTargetWorkload } from './http-target-workload';

/**
 * Target runs against small node:http servers started here (not code of the target runner): the server
 * counts what it received, and the run's own accounting must agree with it. Rates are low and the
 * assertions are on counts and lower bounds, so a loaded 2-core machine does not flip them.
 */

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; port: number; server: Server }> {
  const server = createServer(handler);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/agent`, port, server };
}

async function runTarget(
  target: TargetSpecInput,
  shape: { rate: number; durationS: number; maxVUs?: number; thresholds?: Record<string, string[]> },
): Promise<{ summary: RunSummary; samples: RunSample[] }> {
  const profile = validateProfile(
    {
      name: 'target-test',
      stages: [{ executor: 'constant-arrival-rate', durationS: shape.durationS, rate: shape.rate }],
      maxVUs: shape.maxVUs ?? 100,
      gracefulStopS: 10,
      thresholds: shape.thresholds ?? {},
      target,
    },
    'test',
  );
  const workload = new HttpTargetWorkload({ target: profile.target!, clock: systemClock, describedUrl: target.url });
  const samples: RunSample[] = [];
  const runner = new StressRunner({
    clock: systemClock,
    runId: 'target-test',
    profile,
    mode: 'governed',
    workload,
    thresholds: parseThresholds(profile.thresholds),
    onSample: (sample) => samples.push(sample),
  });
  try {
    return { summary: await runner.run(), samples };
  } finally {
    await workload.close();
  }
}

function accounted(summary: RunSummary): number {
  return summary.requests.completed + summary.requests.failed + summary.requests.dropped;
}

describe('HTTP target runs', () => {
  it('accounts for every planned arrival, and sends exactly what the server counted', async () => {
    let received = 0;
    const { url } = await serve((req, res) => {
      received += 1;
      req.resume();
      req.on('end', () => res.end('{"ok":true}'));
    });
    const { summary, samples } = await runTarget({ url, body: '{"q":"{{question}}","n":{{seq}}}', connections: 4 }, { rate: 20, durationS: 2 });
    expect(summary.requests.planned).toBe(40);
    expect(accounted(summary)).toBe(40);
    expect(summary.requests.completed).toBe(40);
    expect(summary.target!.sent).toBe(received);
    expect(summary.target!.sent).toBe(40);
    expect(summary.target!.status).toEqual({ '200': 40 });
    expect(summary.target!.bytes_in).toBe(40 * '{"ok":true}'.length);
    // Keep-alive: at most the pool's four connections, and most requests reused one.
    expect(summary.target!.connections.opened).toBeLessThanOrEqual(4);
    expect(summary.target!.connections.reuse).toBeGreaterThan(0.8);
    expect(samples.reduce((n, s) => n + (s.http?.statuses['200'] ?? 0), 0)).toBe(40);
  });

  it('counts dropped arrivals when the in-flight bound is full, and the sums still add up to the plan', async () => {
    let received = 0;
    const { url } = await serve((req, res) => {
      received += 1;
      req.resume();
      setTimeout(() => res.end('slow'), 400);
    });
    const { summary } = await runTarget({ url }, { rate: 20, durationS: 2, maxVUs: 3 });
    expect(summary.requests.dropped).toBeGreaterThan(0);
    expect(accounted(summary)).toBe(summary.requests.planned);
    expect(summary.target!.sent).toBe(received);
    expect(summary.target!.sent).toBe(summary.requests.completed + summary.requests.failed);
  });

  it('shows a 2 s stall of the target in p99, latency counted from the intended start', async () => {
    let received = 0;
    let stallUntil = 0;
    const { url } = await serve((req, res) => {
      received += 1;
      req.resume();
      // The 11th request starts a 2 s stall: everything that arrives during it waits until it ends.
      if (received === 11) stallUntil = Date.now() + 2_000;
      const wait = stallUntil - Date.now();
      if (wait > 0) setTimeout(() => res.end('late'), wait);
      else res.end('ok');
    });
    const { summary } = await runTarget({ url, connections: 4 }, { rate: 10, durationS: 5 });
    expect(accounted(summary)).toBe(50);
    expect(summary.requests.completed).toBe(50);
    // Only the 4 requests on the connections waited at the server; the ~16 others due during the stall
    // waited in the pool for a connection and were fast once sent — timed from their send, p90 would be
    // a few ms. Timed from their intended start, the ~10 due in the stall's first second waited over 1 s.
    expect(summary.latency_ms.p90).toBeGreaterThanOrEqual(1_000);
    expect(summary.latency_ms.p99).toBeGreaterThanOrEqual(1_500);
    expect(summary.latency_ms.max).toBeGreaterThanOrEqual(1_800);
    expect(summary.target!.ttlb_ms.p99).toBe(summary.latency_ms.p99);
  });

  it("takes an SSE stream's time to first byte at its first data event, not at the headers", async () => {
    const { url } = await serve((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': keep-alive\n\n');
      setTimeout(() => res.write('data: {"token":"Hel"}\n\n'), 400);
      setTimeout(() => res.end('data: [DONE]\n\n'), 800);
    });
    const { summary } = await runTarget({ url, method: 'POST', body: '{}' }, { rate: 5, durationS: 1, thresholds: { ttfb_ms: ['p(95)<100'] } });
    expect(summary.requests.completed).toBe(5);
    const target = summary.target!;
    expect(target.ttfb_ms.p50).toBeGreaterThanOrEqual(390);
    expect(target.ttlb_ms.p50).toBeGreaterThanOrEqual(target.ttfb_ms.p50 + 300);
    // ttfb_ms is thresholdable: 400 ms to the first token fails p(95)<100.
    expect(summary.thresholds).toEqual([{ expr: 'ttfb_ms: p(95)<100', ok: false, value: expect.any(Number) as number }]);
    expect(summary.thresholds[0]!.value).toBeGreaterThanOrEqual(390);
  });

  it('classifies failures: refused, reset, timeout, TLS, and unexpected statuses with their histogram', async () => {
    const closed = await serve(() => undefined);
    closed.server.close();
    await once(closed.server, 'close');
    const resetting = await serve((req) => req.socket.destroy());
    const hanging = await serve((req) => req.resume());
    const plain = await serve((req, res) => res.end('plain http'));
    const failing = await serve((req, res) => {
      res.statusCode = 500;
      res.end('{"error":"boom"}');
    });
    const cases: Array<[string, TargetSpecInput, string]> = [
      ['refused', { url: closed.url }, 'refused'],
      ['reset', { url: resetting.url }, 'reset'],
      ['timeout', { url: hanging.url, timeoutS: 0.3 }, 'timeout'],
      ['tls', { url: plain.url.replace('http:', 'https:') }, 'tls'],
      ['status', { url: failing.url }, 'unexpected_status'],
    ];
    for (const [name, target, kind] of cases) {
      const { summary } = await runTarget(target, { rate: 4, durationS: 1 });
      expect({ name, errors: summary.errors, accounted: accounted(summary) }).toEqual({ name, errors: { [kind]: 4 }, accounted: 4 });
      if (name === 'status') expect(summary.target!.status).toEqual({ '500': 4 });
      if (name === 'refused') expect(summary.target!.sent).toBe(0);
    }
  });
});
