import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/manual-clock';
import { anthropicBody, openAIBody, rawPost, until } from '../testing/test-support';
import { CongestionModel, DEFAULT_CONGESTION, type CongestionSettings } from './congestion';
import { startSimulator, type RunningSimulator } from './simulator';

describe('CongestionModel', () => {
  const settings = (patch: Partial<CongestionSettings>): (() => CongestionSettings) => {
    const value = { ...DEFAULT_CONGESTION, enabled: true, ...patch };
    return () => value;
  };

  it('serves up to the knee at base latency, slows past it and refuses at the cliff', () => {
    const model = new CongestionModel(settings({ knee: 4, slope: 2, cliff: 6 }), 0);
    const factors = Array.from({ length: 6 }, () => model.admit(0)).map((admission) => (admission.ok ? admission.latencyFactor : null));
    expect(factors).toEqual([1, 1, 1, 1, 1.5, 2]);
    expect(model.admit(0)).toMatchObject({ ok: false, inFlight: 6, cliff: 6 });
    expect(model.snapshot(0)).toMatchObject({ inFlight: 6, overloaded: 1 });
  });

  it('frees a slot on release, once', () => {
    const model = new CongestionModel(settings({ knee: 1, cliff: 1 }), 0);
    const first = model.admit(0);
    expect(model.admit(0).ok).toBe(false);
    if (!first.ok) throw new Error('the first request must be admitted');
    first.release();
    first.release();
    expect(model.snapshot(0).inFlight).toBe(0);
    expect(model.admit(0).ok).toBe(true);
    expect(model.admit(0).ok).toBe(false);
  });

  it('halves knee and cliff from 30 s on, counted from start or the last reset', () => {
    const model = new CongestionModel(settings({ knee: 16, cliff: 48, capacityChanges: [{ atMs: 30_000, factor: 0.5 }] }), 1000);
    expect(model.snapshot(30_999)).toMatchObject({ knee: 16, cliff: 48, capacityFactor: 1 });
    expect(model.snapshot(31_000)).toMatchObject({ knee: 8, cliff: 24, capacityFactor: 0.5 });
    model.reset(40_000);
    expect(model.snapshot(40_000)).toMatchObject({ knee: 16, capacityFactor: 1 });
  });

  it('does nothing while disabled (the default)', () => {
    const model = new CongestionModel(() => DEFAULT_CONGESTION, 0);
    for (let i = 0; i < 1000; i++) expect(model.admit(0)).toMatchObject({ ok: true, latencyFactor: 1 });
    expect(model.snapshot(0).inFlight).toBe(0);
  });
});

describe('simulator: congestion over HTTP', () => {
  let sim: RunningSimulator | undefined;
  afterEach(async () => sim?.stop());

  it('answers slower past the knee and with 503 / 529 overload past the cliff', async () => {
    const clock = new ManualClock();
    sim = await startSimulator({
      clock,
      adminToken: null,
      settings: { latency: { baseMs: 100 }, congestion: { enabled: true, knee: 2, slope: 2, cliff: 4 } },
    });
    const running = sim;
    const answers = Array.from({ length: 4 }, () => rawPost(`${running.openaiBaseUrl}/chat/completions`, openAIBody()));
    await until(() => running.snapshot().congestion.inFlight === 4, 'four requests are in flight');
    const refusedOpenAI = await rawPost(`${running.openaiBaseUrl}/chat/completions`, openAIBody());
    expect(refusedOpenAI.status).toBe(503);
    expect(refusedOpenAI.json()).toMatchObject({ error: { message: expect.stringContaining('overloaded') } });
    const refusedAnthropic = await rawPost(`${running.url}/v1/messages`, anthropicBody(), { 'x-api-key': 'sk-ant-test' });
    expect(refusedAnthropic.status).toBe(529);
    expect(refusedAnthropic.json()).toMatchObject({ error: { type: 'overloaded_error' } });
    clock.advance(300);
    const done = await Promise.all(answers);
    expect(done.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    // Third and fourth in flight: 1 + 2 × (3 − 2) / 2 = 2× and 1 + 2 × 2 / 2 = 3× the 100 ms base.
    expect(done.map((answer) => Number(answer.headers['openai-processing-ms'])).sort((a, b) => a - b)).toEqual([100, 100, 200, 300]);
    expect(running.snapshot().congestion).toMatchObject({ inFlight: 0, overloaded: 2 });
  });

  it('leaves latency alone when congestion is off (the default)', async () => {
    const clock = new ManualClock();
    sim = await startSimulator({ clock, adminToken: null, settings: { latency: { baseMs: 100 } } });
    const running = sim;
    const answers = Array.from({ length: 6 }, () => rawPost(`${running.openaiBaseUrl}/chat/completions`, openAIBody()));
    await until(() => running.snapshot().counters.inFlight === 6, 'six requests are in flight');
    clock.advance(100);
    const done = await Promise.all(answers);
    expect(done.map((answer) => Number(answer.headers['openai-processing-ms']))).toEqual([100, 100, 100, 100, 100, 100]);
  });
});
