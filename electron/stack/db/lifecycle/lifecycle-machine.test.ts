import { describe, expect, it } from 'vitest';
import { DatabaseStateSchema, type DatabaseState } from '../../../../shared/contract/pool';
import { canReach, IllegalTransitionError, nextState, transition, type LifecycleEvent } from './lifecycle-machine';

const EVENTS: readonly LifecycleEvent[] = ['attempt-succeeded', 'attempt-failed', 'gave-up', 'retry-due', 'server-lost', 'server-back', 'stop', 'stopped'];

/** The lifecycle as docs/database-lifecycle.md draws it, written out again so a change to the table is a visible decision. */
const LEGAL: ReadonlyArray<readonly [DatabaseState, LifecycleEvent, DatabaseState]> = [
  ['disabled', 'stop', 'stopping'],
  ['starting', 'attempt-succeeded', 'ready'],
  ['starting', 'attempt-failed', 'retrying'],
  ['starting', 'gave-up', 'failed'],
  ['starting', 'stop', 'stopping'],
  ['retrying', 'retry-due', 'starting'],
  ['retrying', 'stop', 'stopping'],
  ['ready', 'server-lost', 'unavailable'],
  ['ready', 'stop', 'stopping'],
  ['unavailable', 'server-back', 'ready'],
  ['unavailable', 'stop', 'stopping'],
  ['failed', 'stop', 'stopping'],
  ['stopping', 'stopped', 'stopped'],
];

describe('the RAG database lifecycle table', () => {
  it.each(LEGAL)('%s --%s--> %s', (from, event, to) => {
    expect(nextState(from, event)).toBe(to);
    expect(transition(from, event)).toBe(to);
  });

  it('refuses every other event in every state', () => {
    const legal = new Set(LEGAL.map(([from, event]) => `${from}|${event}`));
    let refused = 0;
    for (const from of DatabaseStateSchema.options) {
      for (const event of EVENTS) {
        if (legal.has(`${from}|${event}`)) continue;
        expect(nextState(from, event), `${from} + ${event}`).toBeNull();
        expect(() => transition(from, event)).toThrow(IllegalTransitionError);
        refused += 1;
      }
    }
    expect(refused).toBe(DatabaseStateSchema.options.length * EVENTS.length - LEGAL.length);
  });

  it('names the refused transition in the error', () => {
    const error = (() => {
      try {
        transition('stopping', 'attempt-succeeded');
        return null;
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect(error).toMatchObject({ code: 'DB_ILLEGAL_TRANSITION', from: 'stopping', event: 'attempt-succeeded' });
  });

  it('every state can reach stopped, and only stopped has no way out', () => {
    for (const state of DatabaseStateSchema.options) {
      expect(canReach(state, 'stopped'), state).toBe(true);
      expect(EVENTS.some((event) => nextState(state, event) !== null), state).toBe(state !== 'stopped');
    }
  });

  it('knows where waiting for ready still makes sense', () => {
    const hopeful = DatabaseStateSchema.options.filter((state) => canReach(state, 'ready'));
    expect(hopeful.sort()).toEqual(['ready', 'retrying', 'starting', 'unavailable']);
  });
});
