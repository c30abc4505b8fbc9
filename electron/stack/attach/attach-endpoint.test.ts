import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ATTACH_MAX_MESSAGE_BYTES, type AttachServerMessage } from '../../../shared/contract/attach';
import { systemClock } from '../clock/clock';
import { createLogger, type Logger } from '../log/logger';
import { startAttachEndpoint, type AttachEndpoint } from './attach-endpoint';
import { AttachedProcesses } from './attached-processes';

const TOKEN = 'attach-token-for-tests-0123456789abcdef';
let processes: AttachedProcesses;
let endpoint: AttachEndpoint;
let logged: string[];
let log: Logger;

beforeEach(async () => {
  logged = [];
  log = createLogger({ write: (line) => logged.push(line) });
  processes = new AttachedProcesses(systemClock);
  endpoint = await startAttachEndpoint({ processes, clock: systemClock, log, token: TOKEN });
});
afterEach(async () => endpoint.close());

const hello = (over: Record<string, unknown> = {}) => ({
  type: 'hello',
  protocol: 1,
  instanceId: 'instance-0001',
  name: 'worker-a',
  pid: 4242,
  host: 'test-host',
  startedAt: Date.now(),
  language: 'node',
  ...over,
});
const report = (over: Record<string, unknown> = {}) => ({
  type: 'report',
  seq: 0,
  t: Date.now(),
  semaphores: [{ name: 'fan-out', permits: 4, inUse: 3 }],
  ...over,
});

/** Opens a client and resolves with it once open, or with the HTTP status the upgrade was refused with. */
function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

async function connected(): Promise<WebSocket> {
  const ws = await open(endpoint.url);
  if (typeof ws === 'number') throw new Error(`refused with ${ws}`);
  return ws;
}

function nextMessage(ws: WebSocket): Promise<AttachServerMessage> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)) as AttachServerMessage)));
}

function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('attach endpoint', () => {
  it('listens on 127.0.0.1 and puts the token in the URL', () => {
    expect(endpoint.url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/attach\\?token=${TOKEN}$`));
  });

  it('refuses a wrong token, no token, another path and a web page (Origin) before any message', async () => {
    const base = endpoint.url.replace(/\?.*$/, '');
    expect(await open(`${base}?token=${TOKEN.slice(0, -1)}x`)).toBe(401);
    expect(await open(base)).toBe(401);
    expect(await open(endpoint.url.replace('/attach', '/rpc'))).toBe(404);
    expect(await open(endpoint.url, { Origin: 'http://evil.example' })).toBe(403);
    expect(processes.list().processes).toEqual([]);
    expect(logged.join('\n')).not.toContain(TOKEN.slice(0, -1));
  });

  it('takes a token as a bearer header too', async () => {
    const ws = await open(endpoint.url.replace(/\?.*$/, ''), { Authorization: `Bearer ${TOKEN}` });
    expect(ws).toBeInstanceOf(WebSocket);
    (ws as WebSocket).close();
  });

  it('lists a process after hello, shows its semaphores tagged with it, and marks it disconnected when it goes', async () => {
    const ws = await connected();
    ws.send(JSON.stringify(hello()));
    const welcome = await nextMessage(ws);
    expect(welcome).toMatchObject({ type: 'welcome', processId: 'p1' });
    ws.send(JSON.stringify(report()));
    await until(() => processes.primitives().semaphores.length === 1);
    expect(processes.primitives().semaphores[0]).toMatchObject({
      name: 'fan-out',
      permits: 4,
      inUse: 3,
      available: 1,
      process: { id: 'p1', name: 'worker-a', connected: true },
    });
    expect(processes.list().processes[0]).toMatchObject({ name: 'worker-a', pid: 4242, host: 'test-host', state: 'connected', reports: 1 });
    ws.close();
    await until(() => processes.list().processes[0]?.state === 'disconnected');
    expect(processes.primitives().semaphores[0]?.process?.connected).toBe(false);
  });

  it('is report-only: a call to a panel method is refused and the connection closed', async () => {
    const ws = await connected();
    ws.send(JSON.stringify(hello()));
    await nextMessage(ws);
    const refusal = nextMessage(ws);
    const code = closed(ws);
    ws.send(JSON.stringify({ method: 'stress.start', params: { profile: 'heavy' } }));
    expect(await refusal).toMatchObject({ type: 'refused', code: 'report_only' });
    expect(await code).toBe(1008);
  });

  it('refuses invalid messages with the field named, and reports before hello', async () => {
    const a = await connected();
    const refusedA = nextMessage(a);
    a.send(JSON.stringify(report()));
    expect(await refusedA).toMatchObject({ type: 'refused', code: 'hello_first' });

    const b = await connected();
    const refusedB = nextMessage(b);
    b.send(JSON.stringify(hello({ pid: 'not a number' })));
    const message = await refusedB;
    expect(message).toMatchObject({ type: 'refused', code: 'bad_message' });
    expect(message.type === 'refused' && message.message).toContain('pid');

    const c = await connected();
    const refusedC = nextMessage(c);
    c.send('{not json');
    expect(await refusedC).toMatchObject({ type: 'refused', code: 'bad_message' });
    expect(processes.list().processes).toEqual([]);
  });

  it('closes a connection that sends more than the size cap, and keeps serving the others', async () => {
    const good = await connected();
    good.send(JSON.stringify(hello()));
    await nextMessage(good);
    const hostile = await connected();
    const code = closed(hostile);
    hostile.send(JSON.stringify(hello({ instanceId: 'instance-0002', name: 'x'.repeat(ATTACH_MAX_MESSAGE_BYTES + 10) })));
    expect(await code).toBe(1009);
    good.send(JSON.stringify(report()));
    await until(() => processes.list().processes[0]?.reports === 1);
    expect(processes.list().processes.map((p) => p.name)).toEqual(['worker-a']);
    good.close();
  });

  it("cannot pose as another process: a reported primitive's process tag is the panel's", async () => {
    const ws = await connected();
    ws.send(JSON.stringify(hello()));
    await nextMessage(ws);
    ws.send(JSON.stringify(report({ semaphores: [{ name: 's', permits: 1, inUse: 0, process: { id: 'p99', name: 'panel', connected: true } }] })));
    await until(() => processes.primitives().semaphores.length === 1);
    expect(processes.primitives().semaphores[0]?.process).toEqual({ id: 'p1', name: 'worker-a', connected: true });
    ws.close();
  });

  it('closes a flood (more than the messages-per-second cap)', async () => {
    const ws = await connected();
    ws.send(JSON.stringify(hello()));
    await nextMessage(ws);
    const code = closed(ws);
    for (let i = 0; i < 150; i++) ws.send(JSON.stringify(report({ seq: i })));
    expect(await code).toBe(1008);
  });
});
