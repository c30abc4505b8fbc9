import { z } from 'zod';
import { defineEvents, defineMethods } from './define';

/** One reading of the Node runtime the stack runs in; all durations in milliseconds. */
export const RuntimeSampleSchema = z.object({
  t: z.number().describe('epoch ms when the sample was taken'),
  eventLoopDelayMs: z.object({ p50: z.number(), p99: z.number(), max: z.number() }),
  eventLoopUtilization: z.number().min(0).max(1),
  heapUsedMb: z.number(),
  heapTotalMb: z.number(),
  rssMb: z.number(),
  cpuPercent: z.number().describe('process CPU time over wall time; 100 = one full core'),
  activeHandles: z.number().int(),
});
export type RuntimeSample = z.infer<typeof RuntimeSampleSchema>;

export const runtimeMethods = defineMethods({
  'runtime.current': {
    description: 'The latest runtime sample, or null before the first one is taken.',
    params: z.object({}).strict(),
    result: RuntimeSampleSchema.nullable(),
  },
  'runtime.history': {
    description: 'Stored runtime samples, oldest first.',
    params: z
      .object({
        sinceMs: z.number().optional().describe('only samples taken after this epoch ms'),
        limit: z.number().int().min(1).max(10_000).default(600),
      })
      .strict(),
    result: z.array(RuntimeSampleSchema),
  },
});

export const runtimeEvents = defineEvents({
  'runtime.sample': {
    description: 'Pushed every monitor tick (2–4 Hz) with the newest runtime sample.',
    payload: RuntimeSampleSchema,
  },
});
