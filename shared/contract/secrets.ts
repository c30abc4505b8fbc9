import { z } from 'zod';
import { defineMethods } from './define';
import { ProviderUrlSchema } from './provider-url';

/** The secrets the panel can hold. Values go in, never out: the panel only ever sees a masked preview. */
export const SECRET_NAMES = ['provider.openai.apiKey', 'provider.anthropic.apiKey'] as const;
export const SecretNameSchema = z.enum(SECRET_NAMES);
export type SecretName = z.infer<typeof SecretNameSchema>;

export const SecretEntrySchema = z.object({
  name: SecretNameSchema,
  label: z.string(),
  stored: z.boolean(),
  /** e.g. "sk-pr****"; null when nothing is stored. */
  preview: z.string().nullable(),
  envVariable: z.string(),
  /** The environment variable is set, and wins over a stored value. */
  envSet: z.boolean(),
  /** The provider's official API base URL (what a key is bound to unless bound to another on saving). */
  officialBaseUrl: z.string(),
  /** scheme://host:port the saved key is sent to, and nowhere else; null when nothing is stored. */
  boundOrigin: z.string().nullable(),
  /** The base URL runs use with the saved key when they name none; null when nothing is stored. */
  baseUrl: z.string().nullable(),
  /** OPENAI_BASE_URL / ANTHROPIC_BASE_URL: binds the environment's key (the official API when unset). */
  envBaseUrlVariable: z.string(),
  /** Where the environment's key is sent; null when the environment has no key. */
  envBoundOrigin: z.string().nullable(),
});
export type SecretEntry = z.infer<typeof SecretEntrySchema>;

export const secretsMethods = defineMethods({
  'secrets.list': {
    description: 'Which secrets are stored (masked), where, and whether the environment overrides them.',
    params: z.object({}).strict(),
    result: z.object({
      storage: z.object({ kind: z.string(), location: z.string(), codec: z.string() }),
      secrets: z.array(SecretEntrySchema),
    }),
  },
  'secrets.set': {
    description:
      'Stores a provider key and the origin it is bound to (encrypted with the OS keychain on the desktop, a 0600 file in host mode). A binding changes only with the key: send the value again.',
    params: z
      .object({
        name: SecretNameSchema,
        value: z
          .string()
          .trim()
          .min(8, 'an API key is at least 8 characters')
          .max(512, 'an API key is at most 512 characters')
          .regex(/^\S+$/, 'an API key has no spaces'),
        baseUrl: ProviderUrlSchema.optional().describe(
          "the only origin the key will be sent to, as a base URL (e.g. https://openrouter.ai/api/v1); default the provider's official API",
        ),
      })
      .strict(),
    result: SecretEntrySchema,
  },
  'secrets.delete': {
    description: 'Removes a stored secret.',
    params: z.object({ name: SecretNameSchema }).strict(),
    result: z.object({ deleted: z.boolean() }),
  },
});
