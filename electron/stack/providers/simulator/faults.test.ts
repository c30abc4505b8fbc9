import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/manual-clock';
import { anthropicBody, openAIBody, rawPost, splitSse, until } from '../testing/test-support';
import { parseFaultSpec } from './fault-spec';
import { startSimulator, type RunningSimulator } from './simulator';

const KEY = { 'x-api-key': 'sk-ant-test-key' };

describe('simulator: faults switch on and off', () => {
  let sim: RunningSimulator | undefined;
  afterEach(async () => sim?.stop());

  it('server-error: 500 bodies of each provider while on, for exactly its duration', async () => {
    const clock = new ManualClock();
    sim = await startSimulator({ clock, adminToken: null });
    sim.control.setFault({ kind: 'server-error', durationMs: 1000 });
    const openai = await rawPost(`${sim.openaiBaseUrl}/chat/completions`, openAIBody());
    expect(openai.status).toBe(500);
    expect(openai.json()).toMatchObject({ error: { type: 'server_error', message: expect.stringContaining('The server had an error') } });
    const anthropic = await rawPost(`${sim.url}/v1/messages`, anthropicBody(), KEY);
    expect(anthropic.status).toBe(500);
    expect(anthropic.json()).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    expect(sim.snapshot().faults).toEqual([{ kind: 'server-error', rate: 1, remainingMs: 1000, status: 500 }]);
    clock.advance(1000);
    expect((await rawPost(`${sim.openaiBaseUrl}/chat/completions`, openAIBody())).status).toBe(200);
    expect(sim.snapshot().faults).toEqual([]);
    expect(sim.snapshot().counters.faultsInjected['server-error']).toBe(2);
  });

  it('overload: Anthropic 529 overloaded_error, OpenAI 503; cleared by clearFault', async () => {
    sim = await startSimulator({ clock: new ManualClock(), adminToken: null, faults: [parseFaultSpec('529')] });
    const anthropic = await rawPost(`${sim.url}/v1/messages`, anthropicBody(), KEY);
    expect(anthropic.status).toBe(529);
    expect(anthropic.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect((await rawPost(`${sim.openaiBaseUrl}/chat/completions`, openAIBody())).status).toBe(503);
    sim.control.clearFault('overload');
    expect((await rawPost(`${sim.url}/v1/messages`, anthropicBody(), KEY)).status).toBe(200);
  });

  it('hang: no answer while on; the request completes once the fault is cleared', async () => {
    sim = await startSimulator({ clock: new ManualClock(), adminToken: null });
    sim.control.setFault({ kind: 'hang' });
    const pending = rawPost(`${sim.openaiBaseUrl}/chat/completions`, openAIBody());
    const running = sim;
    await until(() => running.snapshot().hungRequests === 1, 'the request is hung');
    running.control.clearFault('hang');
    expect((await pending).status).toBe(200);
    expect(running.snapshot().hungRequests).toBe(0);
  });

  it('hang with a duration ends on the clock', async () => {
    const clock = new ManualClock();
    sim = await startSimulator({ clock, adminToken: null, faults: [parseFaultSpec('hang@5')] });
    const pending = rawPost(`${sim.openaiBaseUrl}/chat/completions`, openAIBody());
    const running = sim;
    await until(() => running.snapshot().hungRequests === 1, 'the request is hung');
    clock.advance(5000);
    expect((await pending).status).toBe(200);
  });

  it('reset: the connection is reset instead of answered', async () => {
    sim = await startSimulator({ clock: new ManualClock(), adminToken: null, faults: [{ kind: 'reset' }] });
    await expect(rawPost(`${sim.openaiBaseUrl}/chat/completions`, openAIBody())).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET/) });
    sim.control.clearFault();
    expect((await rawPost(`${sim.openaiBaseUrl}/chat/completions`, openAIBody())).status).toBe(200);
  });

  it('stream-error: streams stop halfway with the provider’s mid-stream error', async () => {
    sim = await startSimulator({ clock: new ManualClock(), adminToken: null, faults: [{ kind: 'stream-error' }], settings: { output: { minTokens: 10, maxTokens: 10 } } });
    const anthropic = splitSse((await rawPost(`${sim.url}/v1/messages`, anthropicBody({ stream: true }), KEY)).text);
    expect(anthropic.at(-1)?.event).toBe('error');
    expect(JSON.parse(anthropic.at(-1)?.data ?? '{}')).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(anthropic.filter((e) => e.event === 'content_block_delta')).toHaveLength(5);
    const openai = splitSse((await rawPost(`${sim.openaiBaseUrl}/chat/completions`, openAIBody({ stream: true }))).text);
    expect(JSON.parse(openai.at(-1)?.data ?? '{}')).toMatchObject({ error: { type: 'server_error' } });
  });

  it('parses CLI fault specs and rejects bad ones with the format', () => {
    expect(parseFaultSpec('5xx=0.1')).toEqual({ kind: 'server-error', rate: 0.1 });
    expect(parseFaultSpec('503=0.5@30')).toEqual({ kind: 'server-error', rate: 0.5, durationMs: 30_000, status: 503 });
    expect(parseFaultSpec('overload=0.3@30s')).toEqual({ kind: 'overload', rate: 0.3, durationMs: 30_000 });
    expect(parseFaultSpec('hang@10')).toEqual({ kind: 'hang', rate: 1, durationMs: 10_000 });
    expect(() => parseFaultSpec('flood')).toThrow(/not understood/);
    expect(() => parseFaultSpec('5xx=2')).toThrow(/between 0 and 1/);
  });

  it('rejects a bad fault given in-process with the field named', async () => {
    sim = await startSimulator({ clock: new ManualClock(), adminToken: null });
    expect(() => sim?.control.setFault({ kind: 'server-error', rate: 3 })).toThrow(/rate/);
  });
});
