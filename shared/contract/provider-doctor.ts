import { z } from 'zod';
import { defineEvents, defineMethods } from './define';
import { DoctorProgressSchema, DoctorReportSchema } from './doctor';

/** What can be diagnosed: a real provider's API, or the built-in simulator (started for the check). */
export const DOCTOR_PROVIDERS = ['openai', 'anthropic', 'simulator'] as const;
export const DoctorProviderSchema = z.enum(DOCTOR_PROVIDERS);
export type DoctorProvider = z.infer<typeof DoctorProviderSchema>;

export const ProviderDoctorResultSchema = z.object({
  at: z.number().describe('epoch ms when the diagnosis finished'),
  report: DoctorReportSchema,
});
export type ProviderDoctorResult = z.infer<typeof ProviderDoctorResultSchema>;

export const providerDoctorMethods = defineMethods({
  'doctor.provider': {
    description:
      'Diagnose the path to an LLM provider step by step (key, URL, proxy, DNS, TCP, TLS, HTTP, auth, model, limits, latency); progress is pushed as doctor.provider.progress. Keys are masked and a stored key is sent only to the origin it is bound to.',
    params: z
      .object({
        provider: DoctorProviderSchema,
        // Not refused here when malformed: the doctor's URL step says what is wrong with it and how to fix it.
        providerUrl: z.string().max(2048).optional().describe("a base URL to diagnose instead of the key's own (e.g. https://openrouter.ai/api/v1)"),
        model: z.string().min(1).max(200).optional().describe('the model to look for in the models list (default: the one stress runs use)'),
      })
      .strict(),
    result: ProviderDoctorResultSchema,
  },
});

export const providerDoctorEvents = defineEvents({
  'doctor.provider.progress': {
    description: 'Each provider diagnosis announces its steps, then each step as it starts and as it ends, then the verdict.',
    payload: DoctorProgressSchema,
  },
});
