import { describe, expect, it } from 'vitest';
import type { DoctorProgress } from '../../../shared/contract/doctor';
import { systemClock } from '../clock/clock';
import { fail, pass, type DoctorStepDefinition } from './doctor-step';
import { runDoctor } from './run-doctor';

const input = { env: {}, cwd: '/', clock: systemClock };
const step = (id: DoctorStepDefinition['id'], run: DoctorStepDefinition['run'], deadlineMs = 1000): DoctorStepDefinition => ({ id, title: id, deadlineMs, run });

describe('runDoctor', () => {
  it('gives a hanging step its deadline, fails it with TIMEOUT and skips the rest with the reason', async () => {
    const events: DoctorProgress[] = [];
    let cleaned = false;
    const report = await runDoctor(input, {
      onProgress: (e) => events.push(e),
      steps: [
        step('env', async (context) => {
          context.cleanups.push(async () => void (cleaned = true));
          return pass('fine');
        }),
        { ...step('dns', () => new Promise(() => undefined), 50), timeoutRemedy: () => 'the resolver hangs' },
        step('tcp', async () => pass('never runs')),
      ],
    });
    expect(report.ok).toBe(false);
    expect(report.steps.map((s) => [s.id, s.status, s.code ?? ''])).toEqual([
      ['env', 'pass', ''],
      ['dns', 'fail', 'TIMEOUT'],
      ['tcp', 'skip', ''],
    ]);
    expect(report.steps[1]).toMatchObject({ detail: 'no answer within 50 ms', remedy: 'the resolver hangs' });
    expect(report.steps[2]?.detail).toBe('skipped: the dns step failed (TIMEOUT)');
    expect(cleaned).toBe(true);
    expect(events.map((e) => e.phase)).toEqual(['started', 'running', 'step', 'running', 'step', 'step']);
  });

  it('keeps going after a non-blocking failure, and turns a crashing step into a failure', async () => {
    const report = await runDoctor(input, {
      steps: [
        step('privileges', async () => fail('no grant', 'GRANT it', '42501', [], false)),
        step('pool', async () => {
          throw Object.assign(new Error('boom'), { code: 'EBOOM' });
        }),
        step('latency', async () => pass('ran')),
      ],
    });
    expect(report.steps.map((s) => s.status)).toEqual(['fail', 'fail', 'skip']);
    expect(report.steps[1]).toMatchObject({ code: 'EBOOM' });
  });

  it('masks secrets that reach details and remedies', async () => {
    const report = await runDoctor(input, { steps: [step('env', async () => fail('saw postgres://u:hunter2@h/db', 'PGPASSWORD=hunter2 is wrong', 'X'))] });
    expect(JSON.stringify(report)).not.toContain('hunter2');
  });
});
