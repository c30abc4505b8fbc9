import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../clock/clock';
import { ManualClock } from '../../clock/manual-clock';
import { anthropicBody, openAIBody, rawGet, rawPost } from '../testing/test-support';
import { ADMIN_TOKEN_HEADER } from './admin-route';
import { startSimulator, type RunningSimulator } from './simulator';

describe('simulator: auth, validation, admin, determinism', () => {
  const started: RunningSimulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });
  const start = async (options: Parameters<typeof startSimulator>[0] = {}) => {
    const sim = await startSimulator({ clock: new ManualClock(), adminToken: null, ...options });
    started.push(sim);
    return sim;
  };

  it('rejects a missing key with each provider’s 401 body, and accepts any key', async () => {
    const sim = await start();
    const openai = await rawPost(`${sim.openaiBaseUrl}/chat/completions`, openAIBody(), {});
    expect(openai.status).toBe(401);
    expect(openai.json()).toMatchObject({ error: { type: 'invalid_request_error', code: null, message: expect.stringContaining("You didn't provide an API key") } });
    const anthropic = await rawPost(`${sim.url}/v1/messages`, anthropicBody(), {});
    expect(anthropic.status).toBe(401);
    expect(anthropic.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error', message: 'x-api-key header is required' } });
    expect((await rawPost(`${sim.url}/v1/messages`, anthropicBody(), { authorization: 'Bearer anything' })).status).toBe(200);
  });

  it('answers bad JSON, a missing model and missing messages with the real 400 shapes', async () => {
    const sim = await start();
    const chat = `${sim.openaiBaseUrl}/chat/completions`;
    expect((await rawPost(chat, '{not json')).json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringContaining('We could not parse the JSON body') } });
    expect((await rawPost(chat, { messages: [{ role: 'user', content: 'x' }] })).json()).toEqual({
      error: { message: 'you must provide a model parameter', type: 'invalid_request_error', param: null, code: null },
    });
    const noMessages = await rawPost(chat, { model: 'gpt-4o-mini' });
    expect(noMessages.status).toBe(400);
    expect(noMessages.json()).toEqual({ error: { message: "Missing required parameter: 'messages'.", type: 'invalid_request_error', param: 'messages', code: 'missing_required_parameter' } });
    const key = { 'x-api-key': 'k-test-1234' };
    const messages = `${sim.url}/v1/messages`;
    const badJson = await rawPost(messages, '[', key);
    expect(badJson.status).toBe(400);
    expect(badJson.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect((await rawPost(messages, { max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }, key)).json()).toMatchObject({ error: { message: 'model: Field required' } });
    expect((await rawPost(messages, { model: 'm', max_tokens: 5 }, key)).json()).toMatchObject({ error: { message: 'messages: Field required' } });
    expect((await rawPost(messages, { model: 'm', messages: [{ role: 'user', content: 'x' }] }, key)).json()).toMatchObject({ error: { message: 'max_tokens: Field required' } });
    const unknown = await rawPost(`${sim.url}/v1/completions`, openAIBody());
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { message: 'Invalid URL (POST /v1/completions)' } });
  });

  it('guards the /_sim/ admin routes with the per-launch token and drives faults through them', async () => {
    const sim = await start({ adminToken: 'admin-token-for-test' });
    expect((await rawGet(`${sim.url}/_sim/state`)).status).toBe(401);
    const auth = { [ADMIN_TOKEN_HEADER]: 'admin-token-for-test' };
    const set = await rawPost(`${sim.url}/_sim/faults`, { kind: 'server-error', rate: 1 }, auth);
    expect(set.status).toBe(200);
    expect((await rawPost(`${sim.openaiBaseUrl}/chat/completions`, openAIBody())).status).toBe(500);
    const bad = await rawPost(`${sim.url}/_sim/faults`, { kind: 'meteor' }, auth);
    expect(bad.status).toBe(400);
    expect((bad.json() as { error: string }).error).toMatch(/kind/);
    const { request } = await import('undici');
    const cleared = await request(`${sim.url}/_sim/faults/server-error`, { method: 'DELETE', headers: auth });
    await cleared.body.dump();
    expect(cleared.statusCode).toBe(200);
    expect((await rawPost(`${sim.openaiBaseUrl}/chat/completions`, openAIBody())).status).toBe(200);
    const state = (await rawGet(`${sim.url}/_sim/state`, auth)).json() as { counters: { byStatus: Record<string, number> } };
    expect(state.counters.byStatus).toEqual({ '200': 1, '500': 1 });
  });

  it('repeats text, latency and fault decisions exactly under the same seed', async () => {
    const run = async (seed: number): Promise<string[]> => {
      // Real clock here: jitter really waits (a few ms), and that must not change what is drawn.
      const sim = await startSimulator({ seed, clock: systemClock, adminToken: null, settings: { latency: { jitterMs: 3 } }, faults: [{ kind: 'server-error', rate: 0.4 }] });
      started.push(sim);
      const seen: string[] = [];
      for (let i = 0; i < 12; i++) {
        const r = await rawPost(`${sim.openaiBaseUrl}/chat/completions`, openAIBody());
        seen.push(r.status === 200 ? `${(r.json() as { choices: { message: { content: string } }[] }).choices[0]?.message.content}|${r.headers['openai-processing-ms']}` : String(r.status));
      }
      return seen;
    };
    const a = await run(42);
    const b = await run(42);
    const c = await run(43);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.filter((s) => s === '500').length).toBeGreaterThan(0);
    expect(a.filter((s) => s !== '500').length).toBeGreaterThan(0);
  });

  it('counts open connections and reports a plain-data snapshot', async () => {
    const sim = await start();
    await rawPost(`${sim.openaiBaseUrl}/chat/completions`, openAIBody());
    const snap = sim.snapshot();
    expect(snap.counters.openConnections).toBeGreaterThanOrEqual(1);
    expect(snap.counters.byProvider).toEqual({ openai: 1, anthropic: 0 });
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
  });

  it('stops on its AbortSignal and frees the port', async () => {
    const controller = new AbortController();
    const sim = await startSimulator({ signal: controller.signal, adminToken: null });
    controller.abort();
    await sim.stop();
    await expect(rawPost(`${sim.openaiBaseUrl}/chat/completions`, openAIBody())).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
