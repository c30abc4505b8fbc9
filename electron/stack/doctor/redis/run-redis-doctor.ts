import type { DoctorProgress, DoctorReport } from '../../../../shared/contract/doctor';
import { maskUrl } from '../../db/config/mask';
import { redact } from '../../log/redact';
import { runSteps } from '../run-steps';
import { redisEvictionStep, redisLatencyStep, redisPingStep, redisScriptingStep } from './redis-capability-steps';
import { redisAuthStep, redisDnsStep, redisTcpStep, redisTlsStep, redisUrlStep } from './redis-connection-steps';
import type { RedisDoctorContext, RedisDoctorInput } from './redis-doctor-context';

/** The Redis doctor's steps in order (REDIS_DOCTOR_STEP_IDS in the contract lists the same ids). */
export const redisDoctorSteps = [redisUrlStep, redisDnsStep, redisTcpStep, redisTlsStep, redisAuthStep, redisPingStep, redisScriptingStep, redisEvictionStep, redisLatencyStep] as const;

/**
 * Diagnoses the shared-limits store: the same report shape as the database doctor, the password masked
 * in the target and in every line. The session it opens is closed before it returns.
 */
export async function runRedisDoctor(input: RedisDoctorInput, options: { signal?: AbortSignal; onProgress?: (event: DoctorProgress) => void; runId?: string } = {}): Promise<DoctorReport> {
  const context: RedisDoctorContext = { input, cleanups: [] };
  const steps = await runSteps(redisDoctorSteps, context, { runId: options.runId ?? `redis-doctor-${Date.now()}`, signal: options.signal, onProgress: options.onProgress });
  const target = context.target?.masked ?? redact(maskUrl(input.url));
  return { ok: steps.every((step) => step.status !== 'fail'), target, steps };
}
