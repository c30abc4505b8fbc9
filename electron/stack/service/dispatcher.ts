import type { z } from 'zod';
import {
  BridgeError,
  type BridgeErrorData,
  isMethodName,
  methodNames,
  methods,
  type MethodName,
} from '../../../shared/contract';
import { BulkheadError, describeError } from '../errors';
import type { CallContext, Handler, Handlers } from './handlers';

export type DispatchOutcome = { ok: true; result: unknown } | { ok: false; error: BridgeErrorData };

export interface Dispatcher {
  readonly methodNames: readonly MethodName[];
  /** Never throws: every failure becomes a structured error the transport can send back. */
  dispatch(method: unknown, params: unknown, context: CallContext): Promise<DispatchOutcome>;
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
      if (!isMethodName(method)) {
        return fail({
          code: 'UNKNOWN_METHOD',
          message: `Unknown method ${JSON.stringify(method)}.`,
          remedy: `Use one of: ${methodNames.join(', ')}.`,
        });
      }
      const spec = methods[method];
      const parsed = (spec.params as z.ZodType).safeParse(params ?? {});
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => ({
          path: issue.path.length > 0 ? issue.path.join('.') : '(params)',
          message: issue.message,
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
    },
  };
}

function fail(error: BridgeErrorData): DispatchOutcome {
  return { ok: false, error };
}
