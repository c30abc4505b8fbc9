import { describe, expect, it } from 'vitest';
import { methodNames } from '../../../shared/contract';
import { BulkheadError } from '../errors';
import { createDispatcher } from './dispatcher';
import type { Handlers } from './handlers';

function dispatcherWith(overrides: Partial<Record<string, (params: unknown) => unknown>>, errors: unknown[] = []) {
  const handlers = Object.fromEntries(
    methodNames.map((name) => [name, overrides[name] ?? (() => { throw new Error(`${name} not under test`); })]),
  ) as unknown as Handlers;
  return createDispatcher(handlers, (_method, error) => errors.push(error));
}

const context = { transport: 'in-process' } as const;

describe('dispatcher', () => {
  it('answers an unknown method with UNKNOWN_METHOD listing the real ones', async () => {
    const outcome = await dispatcherWith({}).dispatch('nope.nothing', {}, context);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe('UNKNOWN_METHOD');
    expect(outcome.error.remedy).toContain('runtime.history');
  });

  it('describes a hostile method name without serialising it: nested arrays, huge and control-laden strings', async () => {
    const dispatcher = dispatcherWith({});
    const nested = JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`) as unknown;
    const deep = await dispatcher.dispatch(nested, {}, context);
    expect(deep).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD', message: 'Unknown method an array.' } });

    const forged = `x\n2026-01-01 ERROR forged line\u202e${'y'.repeat(100_000)}`;
    const long = await dispatcher.dispatch(forged, {}, context);
    if (long.ok) throw new Error('expected a refusal');
    expect(long.error.message.length).toBeLessThan(160);
    expect(long.error.message).not.toMatch(/[\n\u202e]/);
    expect(long.error.message).toMatch(/^Unknown method "x\?2026-01-01 ERROR forged line\?y+…" \(100031 characters\)\.$/);
  });

  it('caps what it repeats of unrecognised keys', async () => {
    const params = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}${'z'.repeat(2000)}`, 1]));
    const outcome = await dispatcherWith({}).dispatch('app.info', params, context);
    if (outcome.ok) throw new Error('expected a refusal');
    expect(outcome.error.code).toBe('INVALID_PARAMS');
    expect(outcome.error.issues!.length).toBeLessThanOrEqual(20);
    expect(outcome.error.message.length).toBeLessThan(20 * 400);
  });

  it('rejects invalid params with the path of each bad field, without calling the handler', async () => {
    let called = false;
    const dispatcher = dispatcherWith({ 'runtime.history': () => ((called = true), []) });
    const outcome = await dispatcher.dispatch('runtime.history', { limit: 'ten', extra: 1 }, context);
    expect(called).toBe(false);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe('INVALID_PARAMS');
    expect(outcome.error.issues?.map((issue) => issue.path)).toEqual(expect.arrayContaining(['limit']));
    expect(outcome.error.message).toContain('limit');
  });

  it('applies schema defaults before the handler sees the params', async () => {
    let seen: unknown;
    const dispatcher = dispatcherWith({ 'runtime.history': (params) => ((seen = params), []) });
    const outcome = await dispatcher.dispatch('runtime.history', {}, context);
    expect(outcome).toEqual({ ok: true, result: [] });
    expect(seen).toEqual({ limit: 600 });
  });

  it('turns a BulkheadError into its code, message and remedy', async () => {
    const dispatcher = dispatcherWith({
      'runtime.current': () => {
        throw new BulkheadError('POOL_EXHAUSTED', 'All 20 connections are in use.', { remedy: 'Release clients in finally.' });
      },
    });
    const outcome = await dispatcher.dispatch('runtime.current', {}, context);
    expect(outcome).toEqual({
      ok: false,
      error: { code: 'POOL_EXHAUSTED', message: 'All 20 connections are in use.', remedy: 'Release clients in finally.' },
    });
  });

  it('reports an unexpected throw as INTERNAL and logs it', async () => {
    const errors: unknown[] = [];
    const dispatcher = dispatcherWith({ 'runtime.current': () => Promise.reject(new Error('boom')) }, errors);
    const outcome = await dispatcher.dispatch('runtime.current', {}, context);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.code).toBe('INTERNAL');
    expect(errors).toHaveLength(1);
  });

  it('refuses a handler result that breaks the contract instead of passing it on', async () => {
    const errors: unknown[] = [];
    const dispatcher = dispatcherWith({ 'runtime.current': () => ({ t: 'not a number' }) }, errors);
    const outcome = await dispatcher.dispatch('runtime.current', {}, context);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.code).toBe('INVALID_RESULT');
    expect(errors).toHaveLength(1);
  });
});
