import type { z } from 'zod';
import {
  BridgeError,
  type BridgeErrorData,
  isMethodName,
  methodNames,
  methods,
  type MethodName,
} from '../../../shared/contract';
import type { CallReply } from '../../../shared/wire';
import { BulkheadError, describeError } from '../errors';
import type { CallContext, Handler, Handlers } from './handlers';
import { quoteInput, sanitizeText } from './quote-input';

export interface Dispatcher {
  readonly methodNames: readonly MethodName[];
  /** Never throws: every failure becomes a structured error the transport can send back. */
  dispatch(method: unknown, params: unknown, context: CallContext): Promise<CallReply>;
}

/**
 * The single place where untrusted input meets the stack, whatever the transport: the method must
 * exist, params must parse with the contract's schema, and the handler's result is checked against
 * the contract too, so a stack bug surfaces as INVALID_RESULT instead of a malformed UI.
 */
export function createDispatcher(handlers: Handlers, onInternalError: (method: string, error: unknown) => void): Dispatcher {
  return {
    methodNames,
    async dispatch(method, params, context) {
      try {
        return await dispatchChecked(method, params, context);
      } catch (error) {
        // Only a bug gets here (a schema refinement that throws, say): still an answer, never a rejection.
        onInternalError(typeof method === 'string' ? sanitizeText(method, 64) : '(unknown)', error);
        return fail({ code: 'INTERNAL', message: 'The call failed inside Bulkhead; the log has the details.' });
      }
    },
  };

  async function dispatchChecked(method: unknown, params: unknown, context: CallContext): Promise<CallReply> {
    if (!isMethodName(method)) {
      return fail({
        code: 'UNKNOWN_METHOD',
        message: `Unknown method ${quoteInput(method)}.`,
        remedy: `Use one of: ${methodNames.join(', ')}.`,
      });
    }
    const spec = methods[method];
    const parsed = (spec.params as z.ZodType).safeParse(params ?? {});
    if (!parsed.success) {
      // Paths and messages can carry the caller's own keys (unrecognised keys): cap what goes back.
      const issues = parsed.error.issues.slice(0, MAX_ISSUES).map((issue) => ({
        path: issue.path.length > 0 ? sanitizeText(issue.path.map(String).join('.'), 120) : '(params)',
        message: sanitizeText(issue.message, 200),
      }));
      return fail({
        code: 'INVALID_PARAMS',
        message: `Invalid params for ${method}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        remedy: 'Fix the named fields; the contract in shared/contract lists each field and its type.',
        issues,
      });
    }
    try {
      const handler = handlers[method] as Handler<MethodName>;
      const result = await handler(parsed.data as never, context);
      const checked = (spec.result as z.ZodType).safeParse(result);
      if (!checked.success) {
        onInternalError(method, checked.error);
        return fail({ code: 'INVALID_RESULT', message: `${method} produced a result that does not match the contract.` });
      }
      return { ok: true, result: checked.data };
    } catch (error) {
      if (error instanceof BulkheadError) {
        return fail({ code: error.code, message: error.message, remedy: error.remedy });
      }
      if (error instanceof BridgeError) return fail(error.toData());
      onInternalError(method, error);
      return fail({ code: 'INTERNAL', message: `${method} failed: ${describeError(error)}` });
    }
  }
}

/** At most this many problems are described back; a params object with 10,000 bad keys gets the first ones. */
const MAX_ISSUES = 20;

function fail(error: BridgeErrorData): CallReply {
  return { ok: false, error };
}
