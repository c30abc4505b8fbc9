import type { DoctorReport, DoctorStep } from '../../shared/contract/doctor';
import { doctorVerdict } from '../../shared/verdicts';

export interface TextStyle {
  readonly color: boolean;
  /** Evidence lines of passing steps too (always shown for warn/fail). */
  readonly verbose: boolean;
}

const ICON: Record<DoctorStep['status'], string> = { pass: '✓', warn: '!', fail: '✗', skip: '–' };
const COLOR: Record<DoctorStep['status'], string> = { pass: '32', warn: '33', fail: '31', skip: '90' };

/** One step as terminal lines: status, title, summary, timing; evidence and the fix indented below. */
export function formatStep(step: DoctorStep, style: TextStyle): string {
  const paint = (code: string, text: string): string => (style.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const [summary = '', ...evidence] = step.detail.split('\n');
  const head = `  ${paint(COLOR[step.status], ICON[step.status])} ${paint('1', step.title.padEnd(36))} ${summary}${step.code && step.status !== 'pass' ? paint(COLOR[step.status], `  [${step.code}]`) : ''}${step.status === 'skip' ? '' : paint('90', `  ${formatMs(step.ms)}`)}`;
  const lines = [head];
  if (style.verbose || step.status === 'warn' || step.status === 'fail') for (const line of evidence) lines.push(paint('90', `      ${line}`));
  if (step.remedy && (step.status === 'warn' || step.status === 'fail')) lines.push(`      ${paint(COLOR[step.status], 'fix:')} ${step.remedy}`);
  return `${lines.join('\n')}\n`;
}

export function formatHeader(target: string, style: TextStyle): string {
  return `${style.color ? '\u001b[1m' : ''}Bulkhead doctor${style.color ? '\u001b[0m' : ''} — diagnosing the RAG database connection\n\n`;
}

export function formatVerdict(report: DoctorReport, style: TextStyle, savedId: number | null): string {
  const paint = (code: string, text: string): string => (style.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const verdict = paint(report.ok ? '32;1' : '31;1', doctorVerdict(report));
  return `\ntarget: ${report.target}\nresult: ${verdict}${savedId !== null ? paint('90', `   (report #${savedId} saved; the Doctor page lists it)`) : ''}\n`;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}
