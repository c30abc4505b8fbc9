import type { Database, Statement } from 'better-sqlite3';
import { DoctorReportSchema, type DoctorHistoryEntry, type DoctorReport, type StoredDoctorReport } from '../../../shared/contract/doctor';

export interface DoctorReportsRepo {
  insert(report: DoctorReport, at: number): number;
  get(id: number): StoredDoctorReport | null;
  history(limit: number): DoctorHistoryEntry[];
  /** Keeps the newest `keep` reports. */
  prune(keep: number): number;
}

/** Doctor reports in the app store's doctor_reports table (migration 1), from the panel and the CLI alike. */
export function createDoctorReportsRepo(db: Database): DoctorReportsRepo {
  const insert: Statement<[number, string, number, string]> = db.prepare('INSERT INTO doctor_reports (at, target, ok, report) VALUES (?, ?, ?, ?)');
  const get: Statement<[number], { id: number; at: number; report: string }> = db.prepare('SELECT id, at, report FROM doctor_reports WHERE id = ?');
  const latest: Statement<[number], { id: number; at: number; report: string }> = db.prepare('SELECT id, at, report FROM doctor_reports ORDER BY at DESC, id DESC LIMIT ?');
  const prune: Statement<[number]> = db.prepare('DELETE FROM doctor_reports WHERE id NOT IN (SELECT id FROM doctor_reports ORDER BY at DESC, id DESC LIMIT ?)');
  const parse = (row: { id: number; at: number; report: string }): StoredDoctorReport | null => {
    const parsed = DoctorReportSchema.safeParse(JSON.parse(row.report));
    return parsed.success ? { id: row.id, at: row.at, report: parsed.data } : null;
  };
  return {
    insert: (report, at) => Number(insert.run(at, report.target, report.ok ? 1 : 0, JSON.stringify(report)).lastInsertRowid),
    get: (id) => {
      const row = get.get(id);
      return row ? parse(row) : null;
    },
    history: (limit) =>
      latest
        .all(limit)
        .map(parse)
        .filter((entry): entry is StoredDoctorReport => entry !== null)
        .map(({ id, at, report }) => {
          const problem = report.steps.find((s) => s.status === 'fail') ?? report.steps.find((s) => s.status === 'warn');
          const counts = { pass: 0, warn: 0, fail: 0, skip: 0 };
          for (const step of report.steps) counts[step.status] += 1;
          return { id, at, ok: report.ok, target: report.target, firstProblem: problem ? { id: problem.id, status: problem.status, ...(problem.code ? { code: problem.code } : {}) } : null, counts };
        }),
    prune: (keep) => prune.run(keep).changes,
  };
}
