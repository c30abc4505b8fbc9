import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DoctorProgress, PoolSnapshot } from '../../../shared/contract';
import { sleep, systemClock } from '../clock/clock';
import { useTestDatabase } from './testing/test-database';
import { silentLogger } from '../log/logger';
import { startStack, type Stack } from '../stack';
import { removeDataDir } from './testing/remove-data-dir';

const db = useTestDatabase('handlers');
const dirs: string[] = [];
const stacks: Stack[] = [];
afterAll(async () => {
  for (const stack of stacks) await stack.stop();
  for (const dir of dirs) removeDataDir(dir);
});

async function stackWith(database: Parameters<typeof startStack>[0]['database']): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-dbh-'));
  dirs.push(dir);
  const stack = await startStack({ dataDir: dir, role: 'test', log: silentLogger, monitorIntervalMs: 50, database, poolOverrides: { min: 2, applicationName: 'bh-handlers' } });
  stacks.push(stack);
  return stack;
}

const call = async (stack: Stack, method: string, params: unknown = {}) => stack.dispatcher.dispatch(method, params, { transport: 'in-process' });

describe('pool, rag and doctor through the dispatcher', () => {
  it('serves pool snapshots (pushed on the monitor tick), settings, corpus status and retrieval', async () => {
    const stack = await stackWith({ url: db.url });
    const pushed: PoolSnapshot[] = [];
    const unsubscribe = stack.hub.subscribe('pool.snapshot', (s) => pushed.push(s));
    await stack.core.database.whenReady();
    for (let i = 0; i < 100 && !pushed.some((s) => s.state === 'ready'); i++) await sleep(systemClock, 20);
    unsubscribe();
    expect(pushed.some((s) => s.state === 'ready' && s.counts.total === 2)).toBe(true);
    expect(await call(stack, 'pool.snapshot')).toMatchObject({ ok: true, result: { state: 'ready', counts: { min: 2 } } });
    expect(await call(stack, 'pool.settings')).toMatchObject({ ok: true, result: { mode: 'configured', settings: { applicationName: 'bh-handlers' } } });
    expect(await call(stack, 'rag.status')).toMatchObject({ ok: true, result: { ready: true, retrieval: 'full-text' } });
    const search = await call(stack, 'rag.search', { query: 'token bucket refill rate', k: 2 });
    expect(search).toMatchObject({ ok: true, result: { mode: 'full-text' } });
    expect(search.ok && (search.result as { results: { topic: string }[] }).results[0]?.topic).toBe('rate-limits');
  });

  it('runs the doctor on the stack\'s own database by default, pushing each step, and keeps the report', async () => {
    const stack = await stackWith({ url: db.url });
    const events: DoctorProgress[] = [];
    const unsubscribe = stack.hub.subscribe('doctor.progress', (e) => events.push(e));
    const [first, second] = await Promise.all([call(stack, 'doctor.run'), call(stack, 'doctor.run')]);
    unsubscribe();
    const outcomes = [first, second];
    expect(outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.error.code)).toEqual(['DOCTOR_BUSY']);
    const done = outcomes.find((o) => o.ok);
    const stored = done?.ok ? (done.result as { id: number; report: { ok: boolean; target: string; steps: unknown[] } }) : null;
    expect(stored?.report.ok).toBe(true);
    // One progress event per step of the stored report, pushed live (the step list grows with the doctor).
    expect(stored?.report.steps.length).toBeGreaterThanOrEqual(13);
    expect(events.filter((e) => e.phase === 'step')).toHaveLength(stored?.report.steps.length ?? -1);
    expect(events.at(-1)).toMatchObject({ phase: 'finished', ok: true, reportId: stored?.id });
    expect(await call(stack, 'doctor.history', { limit: 5 })).toMatchObject({ ok: true, result: [{ id: stored?.id, ok: true }] });
    expect(await call(stack, 'doctor.report', { id: stored?.id })).toMatchObject({ ok: true, result: { id: stored?.id } });
    expect(await call(stack, 'doctor.report', { id: 999_999 })).toMatchObject({ ok: false, error: { code: 'DOCTOR_REPORT_NOT_FOUND' } });
  });

  it('without a database: the pool says disabled, retrieval says why, the doctor still works', async () => {
    const stack = await stackWith('none');
    expect(await call(stack, 'pool.snapshot')).toMatchObject({ ok: true, result: { state: 'disabled' } });
    expect(await call(stack, 'rag.search', { query: 'x' })).toMatchObject({ ok: false, error: { code: 'DB_NOT_READY' } });
    const report = await call(stack, 'doctor.run', { url: 'postgres://app@127.0.0.1:1/rag' });
    expect(report).toMatchObject({ ok: true, result: { report: { ok: false } } });
  });
});
