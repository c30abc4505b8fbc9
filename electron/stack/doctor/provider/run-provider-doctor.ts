import type { DoctorProgress, DoctorReport, DoctorStep } from '../../../../shared/contract/doctor';
import { maskSecretAssignments } from '../../db/config/mask';
import { redact } from '../../log/redact';
import { API_KEY_ENV, maskApiKey } from '../../providers/api-keys';
import { runSteps } from '../run-steps';
import type { ProviderDoctorContext, ProviderDoctorInput } from './provider-doctor-context';
import { providerDoctorSteps } from './steps';

export interface RunProviderDoctorOptions {
  signal?: AbortSignal | undefined;
  /** Each step as it starts and ends: the Doctor page and a terminal show them live. */
  onProgress?: ((event: DoctorProgress) => void) | undefined;
  runId?: string;
}

/**
 * Walks key → URL → proxy → DNS → TCP → TLS → HTTP → auth → model → limits → latency (runSteps: each step
 * under its own deadline, the rest skipped after a blocking failure). Every text that leaves — the report
 * and each progress event — has the key masked: the resolved key and any key in the environment, wherever
 * it appears (error bodies echo keys), on top of the general redaction rules.
 */
export async function runProviderDoctor(input: ProviderDoctorInput, options: RunProviderDoctorOptions = {}): Promise<DoctorReport> {
  const context: ProviderDoctorContext = { input, cleanups: [] };
  context.cleanups.push(async () => {
    context.socket?.destroy();
  });
  const scrub = (text: string): string => {
    let out = context.key ? context.key.scrub(text) : text;
    for (const secret of knownKeys(input.env)) out = out.split(secret).join(maskApiKey(secret));
    return maskSecretAssignments(redact(out));
  };
  const scrubStep = (step: DoctorStep): DoctorStep => ({ ...step, detail: scrub(step.detail), ...(step.remedy ? { remedy: scrub(step.remedy) } : {}) });
  const steps = await runSteps(providerDoctorSteps, context, {
    runId: options.runId ?? `provider-doctor-${Math.round(input.clock.now())}`,
    signal: options.signal,
    onProgress: (event) => options.onProgress?.(event.phase === 'step' ? { ...event, step: scrubStep(event.step) } : event),
  });
  const scrubbed = steps.map(scrubStep);
  return { ok: scrubbed.every((step) => step.status !== 'fail'), target: scrub(context.target ?? `${input.provider} (not resolved)`), steps: scrubbed };
}

/** The environment's keys, masked in every text even when the doctor never sent them. */
function knownKeys(env: NodeJS.ProcessEnv): string[] {
  return Object.values(API_KEY_ENV)
    .map((name) => env[name]?.trim() ?? '')
    .filter((value) => value.length >= 4);
}
