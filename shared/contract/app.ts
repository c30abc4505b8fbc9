import { z } from 'zod';
import { defineMethods } from './define';

export const AppInfoSchema = z.object({
  name: z.literal('Bulkhead'),
  version: z.string(),
  /** How this call arrived: `ipc` (desktop), `http` (browser host), `in-process` (CLI, tests). */
  transport: z.enum(['ipc', 'http', 'in-process']),
  dataDir: z.string(),
  pid: z.number().int(),
  platform: z.string(),
  nodeVersion: z.string(),
  startedAt: z.number(),
  sampleIntervalMs: z.number(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const appMethods = defineMethods({
  'app.info': {
    description: 'Who is answering: version, data dir, transport, process.',
    params: z.object({}).strict(),
    result: AppInfoSchema,
  },
});
