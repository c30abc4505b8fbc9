import { AlertRulesSchema, type AlertRule } from '../../../shared/contract/alerts';
import type { Logger } from '../log/logger';
import type { SettingsRepo } from '../store/settings-repo';
import { DEFAULT_ALERT_RULES } from './default-rules';

const SETTINGS_KEY = 'alerts.rules';

/** The alert rules in the settings table; the defaults until the user saves their own. */
export interface AlertRulesStore {
  load(): AlertRule[];
  save(rules: readonly AlertRule[]): AlertRule[];
  reset(): AlertRule[];
}

export function createAlertRulesStore(settings: SettingsRepo, log: Logger): AlertRulesStore {
  return {
    load() {
      const stored = settings.get(SETTINGS_KEY);
      if (stored === undefined) return [...DEFAULT_ALERT_RULES];
      const parsed = AlertRulesSchema.safeParse(stored);
      if (parsed.success) return parsed.data;
      // Written by another version, or edited by hand: keep it stored (nothing lost), run on the defaults.
      const issue = parsed.error.issues[0];
      log.warn(`stored alert rules are invalid (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}); using the defaults until they are saved again`);
      return [...DEFAULT_ALERT_RULES];
    },
    save(rules) {
      const parsed = AlertRulesSchema.parse(rules);
      settings.set(SETTINGS_KEY, parsed);
      return parsed;
    },
    reset() {
      settings.set(SETTINGS_KEY, DEFAULT_ALERT_RULES);
      return [...DEFAULT_ALERT_RULES];
    },
  };
}
