import { describe, expect, it } from 'vitest';
import type { RunSummary } from './contract/stress';
import { chaosVerdict, doctorVerdict, runVerdict } from './verdicts';

const summary = (ok: boolean, regressed = false): RunSummary => ({ ok, regression: regressed ? { baseline: 'main', regressed: true, detail: '' } : null }) as RunSummary;

describe('verdict words (the panel and the CLI say the same)', () => {
  it.each([
    ['completed', summary(true), 'held'],
    ['completed', summary(false), 'failed'],
    ['completed', summary(true, true), 'regressed'],
    ['stopped', summary(false), 'stopped'],
    ['stopped', null, 'stopped'],
    ['aborted', summary(false), 'aborted'],
    ['failed', null, 'could not run'],
    ['interrupted', null, 'interrupted'],
    ['running', null, 'running'],
  ] as const)('a %s run with %j is "%s"', (status, s, word) => {
    expect(runVerdict({ status, summary: s })).toBe(word);
  });

  it('names chaos and doctor outcomes', () => {
    expect(chaosVerdict('passed')).toBe('recovered');
    expect(chaosVerdict('failed')).toBe('not recovered');
    expect(doctorVerdict({ ok: false, steps: [{ id: 'tcp', title: 'TCP connection', status: 'fail', detail: '', code: 'ECONNREFUSED', ms: 1 }] })).toBe('failed at TCP connection (ECONNREFUSED)');
    expect(doctorVerdict({ ok: true, steps: [{ id: 'tls', title: 'TLS', status: 'warn', detail: '', ms: 1 }] })).toBe('connection OK with 1 warning');
  });
});
