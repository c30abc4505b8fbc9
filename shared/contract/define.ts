import type { z } from 'zod';

/** One request of the contract: what the caller sends and what it gets back. */
export interface MethodSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly description: string;
  readonly params: P;
  readonly result: R;
}

/** One pushed event stream of the contract. */
export interface EventSpec<T extends z.ZodType = z.ZodType> {
  readonly description: string;
  readonly payload: T;
}

/** Identity helpers: they keep the literal schema types so params and results can be inferred. */
export function defineMethods<const T extends Record<string, MethodSpec>>(methods: T): T {
  return methods;
}

export function defineEvents<const T extends Record<string, EventSpec>>(events: T): T {
  return events;
}
