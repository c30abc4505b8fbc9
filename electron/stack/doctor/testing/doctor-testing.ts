import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DoctorReport, DoctorStep } from '../../../../shared/contract/doctor';
import { systemClock } from '../../clock/clock';
import type { DoctorInput } from '../doctor-context';
import { runDoctor } from '../run-doctor';

/**
 * Helpers for doctor tests: a clean working directory (no stray .env) and a fake filesystem root, so the
 * container step answers the same on a laptop, in CI and inside a container.
 */
export class DoctorSandbox {
  private readonly dirs: string[] = [];

  folder(files: Record<string, string> = {}): string {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-doctor-'));
    this.dirs.push(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  }

  diagnose(input: Partial<DoctorInput> & { url?: string }): Promise<DoctorReport> {
    return runDoctor({ env: {}, cwd: this.folder(), fsRoot: this.folder(), clock: systemClock, ...input });
  }

  dispose(): void {
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

/** The step `id` of a report (any doctor's: database, provider…); throws when the report has none. */
export function stepOf(report: DoctorReport, id: string): DoctorStep {
  const step = report.steps.find((s) => s.id === id);
  if (!step) throw new Error(`no step ${id} in report`);
  return step;
}

/** Statuses in order, e.g. "env:pass url:pass ... tcp:fail tls:skip". */
export function statusLine(report: DoctorReport): string {
  return report.steps.map((s) => `${s.id}:${s.status}`).join(' ');
}
