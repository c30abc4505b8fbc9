import type { MethodSpec } from '../../../shared/contract/define';
import { methodNames, type MethodName } from '../../../shared/contract';
import type { Handler, Handlers } from './handlers';

/**
 * The handlers of one feature, keyed by that feature's method map in the contract:
 * `HandlersOf<typeof poolMethods & typeof ragMethods>`. A method added to the map is a compile error in
 * the feature until it has a handler; nothing else lists method names.
 */
export type HandlersOf<T extends Readonly<Record<string, MethodSpec>>> = { readonly [K in keyof T & MethodName]: Handler<K> };

/**
 * The one shape of a stack feature: `setupX(core)` returns its handlers and, when it started anything
 * (timers, servers, runs), how to stop it. The stack disposes features in the reverse order of setup.
 */
export interface Feature<H extends Partial<Handlers> = Partial<Handlers>> {
  readonly handlers: H;
  dispose?(): void | Promise<void>;
}

type HandledBy<F> = F extends { readonly handlers: infer H } ? keyof H : never;
type Unhandled<F extends readonly Feature[]> = Exclude<MethodName, HandledBy<F[number]>>;
/** Resolves to `unknown` when the features cover the contract, else to a type naming the missing methods. */
type CoversContract<F extends readonly Feature[]> = [Unhandled<F>] extends [never] ? unknown : { readonly missingHandlers: Unhandled<F> };

/**
 * All features' handlers as the dispatcher's table. The type refuses a list that leaves a contract
 * method without a handler; at run time a method claimed by two features (or none) is a start-up error.
 */
export function handlersOf<const F extends readonly Feature[]>(features: F & CoversContract<F>): Handlers {
  const table: Partial<Record<MethodName, unknown>> = {};
  for (const feature of features) {
    for (const [method, handler] of Object.entries(feature.handlers)) {
      if (Object.hasOwn(table, method)) throw new Error(`Two features handle ${method}; each method belongs to one feature.`);
      table[method as MethodName] = handler;
    }
  }
  const missing = methodNames.filter((method) => !Object.hasOwn(table, method));
  if (missing.length > 0) throw new Error(`No feature handles ${missing.join(', ')}.`);
  return table as Handlers;
}
