/**
 * The one contract between the renderer and the stack. Every request and every pushed event is declared
 * here, once, with zod schemas; both transports (Electron IPC and the host's WebSocket) carry exactly this.
 * A feature adds its own file next to this one and spreads it in below.
 */
import type { z } from 'zod';
import { alertsEvents, alertsMethods } from './alerts';
import { attachEvents, attachMethods } from './attach';
import { secretsMethods } from './secrets';
import { appMethods } from './app';
import { chaosEvents, chaosMethods, chaosScenarioEvents, chaosScenarioMethods } from './chaos';
import { concurrencyEvents, concurrencyMethods } from './concurrency';
import { pgbouncerMethods, redisDoctorMethods } from './connectivity';
import { doctorEvents, doctorMethods } from './doctor';
import { poolEvents, poolMethods } from './pool';
import { providerDoctorEvents, providerDoctorMethods } from './provider-doctor';
import { ragMethods } from './rag';
import { regressionMethods } from './regression';
import { runtimeEvents, runtimeMethods } from './runtime';
import { stressEvents, stressMethods } from './stress';

export const methods = {
  ...appMethods,
  ...runtimeMethods,
  ...poolMethods,
  ...ragMethods,
  ...doctorMethods,
  ...providerDoctorMethods,
  ...redisDoctorMethods,
  ...pgbouncerMethods,
  ...chaosMethods,
  ...chaosScenarioMethods,
  ...alertsMethods,
  ...concurrencyMethods,
  ...regressionMethods,
  ...stressMethods,
  ...secretsMethods,
  ...attachMethods,
} as const;

export const events = {
  ...runtimeEvents,
  ...poolEvents,
  ...doctorEvents,
  ...providerDoctorEvents,
  ...chaosEvents,
  ...chaosScenarioEvents,
  ...alertsEvents,
  ...concurrencyEvents,
  ...stressEvents,
  ...attachEvents,
} as const;

export type Methods = typeof methods;
export type Events = typeof events;
export type MethodName = keyof Methods & string;
export type EventName = keyof Events & string;

/** What a caller passes (defaults may be omitted). */
export type ParamsOf<M extends MethodName> = z.input<Methods[M]['params']>;
/** What a handler receives, after parsing and defaults. */
export type ParsedParamsOf<M extends MethodName> = z.output<Methods[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<Methods[M]['result']>;
export type PayloadOf<E extends EventName> = z.output<Events[E]['payload']>;

export const methodNames = Object.keys(methods).sort() as MethodName[];
export const eventNames = Object.keys(events).sort() as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

export * from './errors';
export * from './app';
export * from './runtime';
export * from './pool';
export * from './rag';
export * from './doctor';
export * from './provider-doctor';
export * from './connectivity';
export * from './chaos';
export * from './alerts';
export * from './attach';
export * from './concurrency';
export * from './regression';
export * from './stress';
export * from './stress-profile';
