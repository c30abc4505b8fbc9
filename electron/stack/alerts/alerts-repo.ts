import type { Database } from 'better-sqlite3';
import type { Alert } from '../../../shared/contract/alerts';

export interface StoredAlertInput {
  ruleId: string;
  ruleName: string;
  metric: string;
  severity: Alert['severity'];
  firedAt: number;
  message: string;
  value: number;
  peak: number;
  threshold: number;
  unit: string;
}

interface Row {
  id: number;
  rule_id: string;
  severity: string;
  status: string;
  fired_at: number;
  cleared_at: number | null;
  message: string;
  detail: string | null;
}

interface Detail {
  ruleName: string;
  metric: string;
  value: number;
  peak: number;
  threshold: number;
  unit: string;
  clearedBy: Alert['clearedBy'];
}

/** The alerts table: one row per alert, inserted when it fires and updated while it fires and when it clears. */
export interface AlertsRepo {
  insert(alert: StoredAlertInput): Alert;
  update(id: number, change: { message: string; value: number; peak: number }): void;
  clear(id: number, at: number, by: NonNullable<Alert['clearedBy']>): Alert | null;
  active(): Alert[];
  history(limit: number, sinceMs?: number): Alert[];
  /** Deletes every cleared alert (firing ones stay); returns how many. */
  deleteCleared(): number;
  /** Alerts left firing by a process that ended: cleared now, marked as such. Returns how many. */
  clearLeftovers(at: number): number;
}

export function createAlertsRepo(db: Database): AlertsRepo {
  const insert = db.prepare<[string, string, string, number, string, string]>(
    "INSERT INTO alerts (rule_id, severity, status, fired_at, cleared_at, message, detail) VALUES (?, ?, ?, ?, NULL, ?, ?)",
  );
  const update = db.prepare<[string, string, number]>('UPDATE alerts SET message = ?, detail = ? WHERE id = ?');
  const clear = db.prepare<[number, string, number]>("UPDATE alerts SET status = 'cleared', cleared_at = ?, detail = ? WHERE id = ?");
  const byId = db.prepare<[number], Row>('SELECT * FROM alerts WHERE id = ?');
  const active = db.prepare<[], Row>("SELECT * FROM alerts WHERE status = 'firing' ORDER BY fired_at DESC, id DESC");
  const deleteCleared = db.prepare("DELETE FROM alerts WHERE status = 'cleared'");
  const history = db.prepare<[number, number], Row>('SELECT * FROM alerts WHERE fired_at >= ? ORDER BY fired_at DESC, id DESC LIMIT ?');

  const detailOf = (row: Row): Detail => {
    try {
      return { clearedBy: null, ...(JSON.parse(row.detail ?? '{}') as Partial<Detail>) } as Detail;
    } catch {
      return { ruleName: row.rule_id, metric: '', value: 0, peak: 0, threshold: 0, unit: '', clearedBy: null };
    }
  };
  const toAlert = (row: Row): Alert => {
    const detail = detailOf(row);
    return {
      id: row.id,
      ruleId: row.rule_id,
      ruleName: detail.ruleName ?? row.rule_id,
      metric: detail.metric ?? '',
      severity: row.severity === 'critical' ? 'critical' : 'warning',
      status: row.status === 'firing' ? 'firing' : 'cleared',
      firedAt: row.fired_at,
      clearedAt: row.cleared_at,
      message: row.message,
      value: detail.value ?? 0,
      peak: detail.peak ?? 0,
      threshold: detail.threshold ?? 0,
      unit: detail.unit ?? '',
      clearedBy: detail.clearedBy ?? null,
    };
  };

  return {
    insert(alert) {
      const detail: Detail = { ruleName: alert.ruleName, metric: alert.metric, value: alert.value, peak: alert.peak, threshold: alert.threshold, unit: alert.unit, clearedBy: null };
      const id = Number(insert.run(alert.ruleId, alert.severity, 'firing', Math.round(alert.firedAt), alert.message, JSON.stringify(detail)).lastInsertRowid);
      return toAlert(byId.get(id)!);
    },
    update(id, change) {
      const row = byId.get(id);
      if (!row) return;
      update.run(change.message, JSON.stringify({ ...detailOf(row), value: change.value, peak: change.peak }), id);
    },
    clear(id, at, by) {
      const row = byId.get(id);
      if (!row) return null;
      clear.run(Math.round(at), JSON.stringify({ ...detailOf(row), clearedBy: by }), id);
      return toAlert(byId.get(id)!);
    },
    active: () => active.all().map(toAlert),
    history: (limit, sinceMs) => history.all(sinceMs ?? 0, limit).map(toAlert),
    deleteCleared: () => deleteCleared.run().changes,
    clearLeftovers(at) {
      const leftovers = active.all();
      for (const row of leftovers) clear.run(Math.round(at), JSON.stringify({ ...detailOf(row), clearedBy: 'restart' }), row.id);
      return leftovers.length;
    },
  };
}
