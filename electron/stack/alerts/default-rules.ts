import { AlertRulesSchema, type AlertRule, type AlertRuleInput } from '../../../shared/contract/alerts';

/**
 * The rules a fresh Bulkhead starts with: the usual ways an agent stack gets into trouble. Each can
 * be edited or switched off in the panel; "reset to defaults" brings these back.
 */
const DEFAULTS: AlertRuleInput[] = [
  {
    id: 'event-loop-stall',
    name: 'Event loop stalled',
    kind: 'threshold',
    severity: 'critical',
    metric: 'runtime.eventLoopP99Ms',
    op: '>',
    threshold: 100,
    forSec: 10,
    clearThreshold: 50,
    clearForSec: 5,
    description: 'Event-loop delay p99 above 100 ms for 10 s: every timer, socket and pool acquire in the process is late. Look for synchronous work (JSON of a large body, a busy loop, sync I/O).',
  },
  {
    id: 'pool-waiting',
    name: 'Pool exhausted',
    kind: 'threshold',
    severity: 'warning',
    metric: 'pool.waiting',
    op: '>',
    threshold: 0,
    forSec: 5,
    clearForSec: 5,
    description: 'Callers have been queueing for a database client for 5 s: the pool is too small for the load, or clients are held too long (or leaked).',
  },
  {
    id: 'provider-429-rate',
    name: 'Provider rate limited',
    kind: 'threshold',
    severity: 'warning',
    metric: 'provider.http429Rate',
    op: '>',
    threshold: 1,
    forSec: 0,
    clearThreshold: 0.5,
    clearForSec: 30,
    description: 'More than 1 % of provider responses in the last minute were 429: the limiter is not holding the request rate under the quota.',
  },
  {
    id: 'heap-growth',
    name: 'Heap growing steadily',
    kind: 'trend',
    severity: 'warning',
    metric: 'runtime.heapUsedMb',
    windowSec: 300,
    minSlopePerMin: 2,
    minR2: 0.8,
    clearForSec: 60,
    description: 'Heap used has risen at least 2 MB per minute for 5 minutes in a straight line: a leak (unbounded buffer, listeners, caches) rather than GC noise.',
  },
  {
    id: 'pool-leak',
    name: 'Leaked database client',
    kind: 'threshold',
    severity: 'critical',
    metric: 'pool.leaks',
    op: '>',
    threshold: 0,
    forSec: 0,
    clearForSec: 5,
    description: 'A client has been checked out longer than the leak threshold: some code path does not release it (release in finally).',
  },
  {
    id: 'semaphore-stalled',
    name: 'Semaphore stalled',
    kind: 'threshold',
    severity: 'warning',
    metric: 'semaphore.*.stalled',
    op: '>',
    threshold: 0,
    forSec: 10,
    clearForSec: 5,
    description: 'Callers wait on a semaphore and no permit has been granted for 10 s: holders are stuck (a hung call without a timeout) or leaked permits.',
  },
];

export const DEFAULT_ALERT_RULES: readonly AlertRule[] = AlertRulesSchema.parse(DEFAULTS);
