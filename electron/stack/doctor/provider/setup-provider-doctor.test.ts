import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorProgress } from '../../../../shared/contract';
import { systemClock } from '../../clock/clock';
import { createLogger } from '../../log/logger';
import { startSimulator, type RunningSimulator } from '../../providers/simulator/simulator';
import { startStack, type Stack } from '../../stack';
import { startAnsweringServer, type LoopbackServer } from './testing/provider-servers';

const KEY = 'plainkey-no-known-prefix-77665544332211';
const dir = mkdtempSync(join(tmpdir(), 'bulkhead-provdoc-stack-'));
const logLines: string[] = [];
let stack: Stack;
let simulator: RunningSimulator;
let echoing: LoopbackServer;

beforeAll(async () => {
  simulator = await startSimulator({ clock: systemClock });
  // A server that answers 401 and quotes the key it got: the worst case for masking.
  echoing = await startAnsweringServer((request, response) => {
    response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `bad key ${String(request.headers['x-api-key'])}`, type: 'authentication_error' } }));
  });
  const log = createLogger({ level: 'debug', write: (line) => void logLines.push(line) });
  stack = await startStack({ dataDir: dir, role: 'test', log, monitorIntervalMs: 50, env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: simulator.openaiBaseUrl, ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: echoing.origin } });
});
afterAll(async () => {
  await stack.stop();
  await simulator.stop();
  await echoing.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = (method: string, params: unknown) => stack.dispatcher.dispatch(method, params, { transport: 'in-process' });

describe('doctor.provider through the dispatcher', () => {
  it("diagnoses with the stack's environment, pushing each step, and the key appears in no result, event or log line", async () => {
    const events: DoctorProgress[] = [];
    const unsubscribe = stack.hub.subscribe('doctor.provider.progress', (event) => events.push(event));
    const openai = await call('doctor.provider', { provider: 'openai' });
    const anthropic = await call('doctor.provider', { provider: 'anthropic' });
    unsubscribe();
    expect(openai).toMatchObject({ ok: true, result: { report: { ok: true } } });
    expect(anthropic).toMatchObject({ ok: true, result: { report: { ok: false, steps: expect.arrayContaining([expect.objectContaining({ id: 'auth', status: 'fail', code: 'authentication_error' })]) } } });
    expect(echoing.seen[0]?.apiKey).toBe(KEY); // the control: the echoing server did get the key (it is bound there)
    expect(events.filter((e) => e.phase === 'step')).toHaveLength(22);
    expect(events.filter((e) => e.phase === 'finished').map((e) => e.phase === 'finished' && e.ok)).toEqual([true, false]);
    const everything = JSON.stringify([openai, anthropic, events]) + logLines.join('\n');
    expect(logLines.some((line) => line.includes('provider doctor: failed'))).toBe(true);
    expect(everything).not.toContain(KEY);
  });

  it('refuses unknown providers and over-long input as invalid params', async () => {
    expect(await call('doctor.provider', { provider: 'azure' })).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });
    expect(await call('doctor.provider', { provider: 'openai', providerUrl: 'x'.repeat(5000) })).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });
  });
});
