import type { DatabaseState } from '../../../../shared/contract/pool';
import { BulkheadError } from '../../errors';

/**
 * What can happen to the RAG database. The table below is the whole lifecycle; docs/database-lifecycle.md
 * draws it. Anything not in the table is a bug in the caller, not a situation to handle.
 */
export type LifecycleEvent =
  /** The attempt finished: pool warm, schema migrated, corpus loaded. */
  | 'attempt-succeeded'
  /** The attempt failed on something that can pass (server down or refusing, migration interrupted). */
  | 'attempt-failed'
  /** The attempt failed on something that will not pass by waiting (invalid configuration, the embedded server would not start). */
  | 'gave-up'
  /** The wait after a failed attempt is over. */
  | 'retry-due'
  /** The server stopped answering the activity sampler after it was ready. */
  | 'server-lost'
  /** It answers again. */
  | 'server-back'
  | 'stop'
  /** Everything held was closed. */
  | 'stopped';

export const LIFECYCLE_TRANSITIONS: Readonly<Record<DatabaseState, Readonly<Partial<Record<LifecycleEvent, DatabaseState>>>>> = {
  disabled: { stop: 'stopping' },
  starting: { 'attempt-succeeded': 'ready', 'attempt-failed': 'retrying', 'gave-up': 'failed', stop: 'stopping' },
  retrying: { 'retry-due': 'starting', stop: 'stopping' },
  ready: { 'server-lost': 'unavailable', stop: 'stopping' },
  unavailable: { 'server-back': 'ready', stop: 'stopping' },
  failed: { stop: 'stopping' },
  stopping: { stopped: 'stopped' },
  stopped: {},
};

export class IllegalTransitionError extends BulkheadError {
  constructor(
    readonly from: DatabaseState,
    readonly event: LifecycleEvent,
  ) {
    super('DB_ILLEGAL_TRANSITION', `The RAG database cannot take "${event}" while ${from}.`, {
      remedy: 'This is a bug in Bulkhead; the log above it shows what led there.',
    });
  }
}

/** The state `event` leads to from `from`, or null when the lifecycle has no such transition. */
export function nextState(from: DatabaseState, event: LifecycleEvent): DatabaseState | null {
  return LIFECYCLE_TRANSITIONS[from][event] ?? null;
}

/** Like nextState, but an event the state does not take throws IllegalTransitionError. */
export function transition(from: DatabaseState, event: LifecycleEvent): DatabaseState {
  const to = nextState(from, event);
  if (to === null) throw new IllegalTransitionError(from, event);
  return to;
}

/** Whether some sequence of events leads from `from` to `to` (whenReady asks it of `ready`). */
export function canReach(from: DatabaseState, to: DatabaseState): boolean {
  const seen = new Set<DatabaseState>([from]);
  const queue: DatabaseState[] = [from];
  for (let state = queue.shift(); state !== undefined; state = queue.shift()) {
    if (state === to) return true;
    for (const next of Object.values(LIFECYCLE_TRANSITIONS[state])) {
      if (next !== undefined && !seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return false;
}
