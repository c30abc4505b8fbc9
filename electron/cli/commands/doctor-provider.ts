import { join } from 'node:path';
import { DOCTOR_PROVIDERS, type DoctorProvider } from '../../../shared/contract/provider-doctor';
import { doctorVerdict } from '../../../shared/verdicts';
import { systemClock } from '../../stack/clock/clock';
import { diagnoseProvider } from '../../stack/doctor/provider/diagnose-provider';
import { createFileSecretStore, SECRETS_FILE } from '../../stack/secrets/file-secret-store';
import { resolveDataDir } from '../../stack/store/data-dir';
import { EXIT, UsageError, type CliIo } from '../command';
import { formatStep } from '../doctor-text';
import { parseChoiceOption } from '../option-parsers';

/** The options of `bulkhead doctor` this mode reads. */
export interface ProviderDoctorFlags {
  readonly provider: string;
  readonly providerUrl: string | undefined;
  readonly model: string | undefined;
  readonly dataDir: string | undefined;
  readonly json: boolean;
  readonly verbose: boolean;
}

/**
 * `bulkhead doctor --provider openai|anthropic|simulator [--provider-url URL] [--model M]`: the path to an
 * LLM provider, step by step, in the database doctor's report shape. Keys come from the environment and
 * from those saved on Settings in the data dir; a key goes only to the origin it is bound to. Printed,
 * not saved.
 */
export async function runProviderDoctorCommand(flags: ProviderDoctorFlags, io: CliIo): Promise<number> {
  const provider = parseChoiceOption('provider', flags.provider, DOCTOR_PROVIDERS) as DoctorProvider;
  if (flags.providerUrl !== undefined && flags.providerUrl.trim() === '') throw new UsageError('--provider-url is empty; give the API base URL, e.g. --provider-url https://openrouter.ai/api/v1.');
  if (provider === 'simulator' && flags.providerUrl !== undefined) throw new UsageError('--provider simulator starts its own simulator; --provider-url is for openai or anthropic.');
  if (flags.model !== undefined && flags.model.trim() === '') throw new UsageError('--model is empty; give a model id, e.g. --model gpt-4o-mini.');
  const style = { color: io.isTTY && !io.env.NO_COLOR, verbose: flags.verbose };
  const paint = (code: string, text: string): string => (style.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const dataDir = resolveDataDir({ flag: flags.dataDir, env: io.env });
  const secrets = createFileSecretStore({ path: join(dataDir, SECRETS_FILE), onWarning: (message) => io.stderr(`${message}\n`) });
  if (!flags.json) io.stdout(`${paint('1', 'Bulkhead doctor')} — diagnosing the path to ${provider === 'simulator' ? 'the built-in provider simulator' : provider}\n\n`);
  const report = await diagnoseProvider(
    { provider, providerUrl: flags.providerUrl, urlLabel: '--provider-url', model: flags.model },
    { env: io.env, secrets, clock: systemClock },
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
