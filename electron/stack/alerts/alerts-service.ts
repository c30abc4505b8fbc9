import type { Alert, AlertRule, AlertTransition, alertsMethods } from '../../../shared/contract/alerts';
import type { Clock } from '../clock/clock';
import type { EventHub } from '../events/event-hub';
import type { Logger } from '../log/logger';
import type { Monitor } from '../monitor/monitor';
import type { HandlersOf } from '../service/feature';
import type { SettingsRepo } from '../store/settings-repo';
import type { Database } from 'better-sqlite3';
import { AlertEngine, type EngineTransition, type FiringAlert } from './alert-engine';
import { createAlertRulesStore } from './alert-rules-store';
import { createAlertsRepo } from './alerts-repo';
import { DEFAULT_ALERT_RULES } from './default-rules';
import type { MetricRegistry } from '../monitor/metric-registry';

/** A firing alert's value and peak are written to the store at most this often (the live view is in memory). */
const PERSIST_EVERY_MS = 5000;

export interface AlertsServiceDeps {
  readonly clock: Clock;
  readonly hub: EventHub;
  readonly monitor: Monitor;
  readonly settings: SettingsRepo;
  readonly db: Database;
  readonly log: Logger;
  readonly metrics: MetricRegistry;
}

export interface AlertsService {
  readonly handlers: HandlersOf<typeof alertsMethods>;
  /** Evaluates now (the monitor tick does this; tests may too). */
  evaluate(now: number): AlertTransition[];
  active(): Alert[];
  stop(): void;
}

/**
 * Alerts for the running stack: on each monitor tick, reads every registered metric, steps the rule
 * engine, stores what fired or cleared and pushes `alerts.changed`. Alerts left firing by a previous
 * process are closed at start (cleared by "restart"), so the active list is always about this run.
 */
export function startAlertsService(deps: AlertsServiceDeps): AlertsService {
  const log = deps.log.child('alerts');
  const repo = createAlertsRepo(deps.db);
  const rulesStore = createAlertRulesStore(deps.settings, log);
  const closed = repo.clearLeftovers(deps.clock.now());
  if (closed > 0) log.info(`${closed} alert(s) left firing by the previous run were closed`);

  let rules: AlertRule[] = rulesStore.load();
  const engine = new AlertEngine(rules);
  const ids = new Map<string, { id: number; persistedAt: number }>();

  const toAlert = (firing: FiringAlert, status: Alert['status'], clearedAt: number | null, clearedBy: Alert['clearedBy']): Alert => ({
    id: ids.get(firing.key)?.id ?? 0,
    ruleId: firing.ruleId,
    ruleName: firing.ruleName,
    metric: firing.metric,
    severity: firing.severity,
    status,
    firedAt: firing.firedAt,
    clearedAt,
    message: firing.message,
    value: firing.value,
    peak: firing.peak,
    threshold: firing.threshold,
    unit: firing.unit,
    clearedBy,
  });
  const active = (): Alert[] => engine.firing.map((f) => toAlert(f, 'firing', null, null)).sort((a, b) => b.firedAt - a.firedAt || b.id - a.id);

  const apply = (now: number, transitions: readonly EngineTransition[]): AlertTransition[] => {
    const out: AlertTransition[] = [];
    for (const transition of transitions) {
      const { alert } = transition;
      if (transition.kind === 'fired') {
        const stored = repo.insert({ ...alert, firedAt: transition.at });
        ids.set(alert.key, { id: stored.id, persistedAt: now });
        out.push({ kind: 'fired', alert: toAlert(alert, 'firing', null, null) });
        log.warn(`alert fired: ${alert.message}`);
      } else {
        const by = transition.clearedBy ?? 'recovered';
        const entry = ids.get(alert.key);
        if (entry) {
          repo.update(entry.id, alert);
          repo.clear(entry.id, transition.at, by);
        }
        out.push({ kind: 'cleared', alert: toAlert(alert, 'cleared', transition.at, by) });
        ids.delete(alert.key);
        log.info(`alert cleared (${by}): ${alert.ruleName} on ${alert.metric}`);
      }
    }
    // Keep stored values of long-firing alerts roughly current, without writing at 4 Hz.
    for (const firing of engine.firing) {
      const entry = ids.get(firing.key);
      if (entry && now - entry.persistedAt >= PERSIST_EVERY_MS) {
        repo.update(entry.id, firing);
        entry.persistedAt = now;
      }
    }
    if (out.length > 0) deps.hub.publish('alerts.changed', { t: now, active: active(), transitions: out });
    return out;
  };

  const evaluate = (now: number): AlertTransition[] => apply(now, engine.evaluate(now, deps.metrics.readAll()));
  const stopTicks = deps.monitor.onTick((tick) => {
    evaluate(tick.t);
  });

  const replaceRules = (next: AlertRule[]): AlertRule[] => {
    rules = next;
    apply(deps.clock.now(), engine.setRules(rules, deps.clock.now()));
    return rules;
  };

  return {
    evaluate,
    active,
    stop: () => stopTicks(),
    handlers: {
      'alerts.active': () => active(),
      'alerts.history': ({ limit, sinceMs }) => {
        // Firing ones carry their live value; the store has them at most PERSIST_EVERY_MS old.
        const live = new Map(active().map((a) => [a.id, a]));
        return repo.history(limit, sinceMs).map((a) => live.get(a.id) ?? a);
      },
      'alerts.history.clear': () => ({ deleted: repo.deleteCleared() }),
      'alerts.rules.get': () => ({ rules, defaults: [...DEFAULT_ALERT_RULES] }),
      'alerts.rules.set': ({ rules: next }) => replaceRules(rulesStore.save(next)),
      'alerts.rules.reset': () => replaceRules(rulesStore.reset()),
      'alerts.metrics': () => [...deps.metrics.readAll().values()].sort((a, b) => a.name.localeCompare(b.name)),
    },
  };
}
