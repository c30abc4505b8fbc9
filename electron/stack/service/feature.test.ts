import { describe, expect, it } from 'vitest';
import { methodNames } from '../../../shared/contract';
import type { appMethods } from '../../../shared/contract/app';
import type { runtimeMethods } from '../../../shared/contract/runtime';
import { handlersOf, type Feature, type HandlersOf } from './feature';
import type { Handlers } from './handlers';

const appInfo = {
  name: 'Bulkhead',
  version: '0',
  transport: 'in-process',
  dataDir: '/d',
  pid: 1,
  platform: 'linux-x64',
  nodeVersion: '20',
  startedAt: 0,
  sampleIntervalMs: 250,
} as const;

const app: Feature<HandlersOf<typeof appMethods>> = { handlers: { 'app.info': () => appInfo } };

describe('one feature shape', () => {
  it('derives a feature’s handler keys from its method map in the contract', () => {
    // A handler for a method outside the feature's map, or a missing one, is a compile error.
    // @ts-expect-error 'runtime.current' is not in appMethods
    const extra: HandlersOf<typeof appMethods> = { 'app.info': () => appInfo, 'runtime.current': () => null };
    // @ts-expect-error runtimeMethods has 'runtime.history' too
    const partial: HandlersOf<typeof runtimeMethods> = { 'runtime.current': () => null };
    expect([extra, partial]).toHaveLength(2);
  });

  it('refuses a feature list that leaves contract methods unhandled, naming them', () => {
    // @ts-expect-error only app.info is handled: the type names the missing methods
    expect(() => handlersOf([app])).toThrow(/No feature handles .*runtime\.current/);
  });

  it('refuses two features that claim the same method', () => {
    const everything = Object.fromEntries(methodNames.map((m) => [m, () => null])) as unknown as Handlers;
    expect(Object.keys(handlersOf([{ handlers: everything }]))).toEqual(methodNames);
    expect(() => handlersOf([app, { handlers: everything }])).toThrow('Two features handle app.info');
  });
});
