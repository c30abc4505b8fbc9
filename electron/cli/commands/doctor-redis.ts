import { runRedisDoctor } from '../../stack/doctor/redis/run-redis-doctor';
import { doctorVerdict } from '../../../shared/verdicts';
import { EXIT, UsageError, type CliIo } from '../command';
import { formatStep } from '../doctor-text';

/** The options of `bulkhead doctor` this mode reads. */
export interface RedisDoctorFlags {
  readonly url: string;
  readonly json: boolean;
  readonly verbose: boolean;
}

/**
 * `bulkhead doctor --redis URL`: the shared-limits store, step by step, in the database doctor's report
 * shape. Reports are printed, not saved (the Doctor page's history is the database's).
 */
export async function runRedisDoctorCommand(flags: RedisDoctorFlags, io: CliIo): Promise<number> {
  if (flags.url.trim() === '') throw new UsageError('--redis is empty; give the store URL, e.g. --redis redis://localhost:6379 (or "$BULKHEAD_REDIS_URL").');
  const style = { color: io.isTTY && !io.env.NO_COLOR, verbose: flags.verbose };
  const paint = (code: string, text: string): string => (style.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  if (!flags.json) io.stdout(`${paint('1', 'Bulkhead doctor')} — diagnosing the Redis store for shared limits\n\n`);
  const report = await runRedisDoctor(
    { url: flags.url, urlLabel: '--redis' },
    {
      signal: io.signal,
      onProgress: (event) => {
        if (!flags.json && event.phase === 'step') io.stdout(formatStep(event.step, style));
      },
    },
  );
  if (flags.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout(`\ntarget: ${report.target}\nresult: ${paint(report.ok ? '32;1' : '31;1', doctorVerdict(report))}\n`);
  if (io.signal.aborted) return EXIT.interrupted;
  return report.ok ? EXIT.ok : EXIT.failed;
}
