import { z } from 'zod';

/**
 * Errors every transport can answer with carry the codes BAD_MESSAGE, UNKNOWN_METHOD, UNKNOWN_EVENT,
 * INVALID_PARAMS, INVALID_RESULT, UNAUTHORIZED, FORBIDDEN, INTERNAL and DISCONNECTED; feature errors add
 * their own (for example `POOL_EXHAUSTED`). The renderer shows `message` and `remedy`, and never needs to
 * parse a stack trace.
 */
export const BridgeErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  remedy: z.string().optional(),
  /** For INVALID_PARAMS: each problem with the path of the field it is about. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type BridgeErrorData = z.infer<typeof BridgeErrorSchema>;

/** The error a bridge call rejects with, whichever transport carried it. */
export class BridgeError extends Error {
  readonly code: string;
  readonly remedy: string | undefined;
  readonly issues: BridgeErrorData['issues'];

  constructor(data: BridgeErrorData) {
    super(data.message);
    this.name = 'BridgeError';
    this.code = data.code;
    this.remedy = data.remedy;
    this.issues = data.issues;
  }

  toData(): BridgeErrorData {
    return { code: this.code, message: this.message, remedy: this.remedy, issues: this.issues };
  }
}
