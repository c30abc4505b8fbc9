import type { DoctorHistoryEntry } from '../../../../shared/contract';
import { STATUS_BADGE, formatTime } from './db-format';

interface Props {
  /** null while loading. */
  rows: readonly DoctorHistoryEntry[] | null;
  /** On the Pool page: rows link to the Doctor page. */
  compact?: boolean;
  onOpen?: (id: number) => void;
  selectedId?: number | null;
}

/** Past doctor reports, from the panel and from `bulkhead doctor` alike. */
export function DoctorHistoryTable({ rows: loaded, compact = false, onOpen, selectedId = null }: Props) {
  const rows = loaded ?? [];
  return (
    <div className="card" data-testid="doctor-history" data-loaded={loaded ? 'true' : undefined}>
      <h2>Doctor history</h2>
      {rows.length === 0 ? (
        <p className="muted db-note">{loaded ? 'No diagnosis yet. Run one on the Doctor page, or `bulkhead doctor` in a terminal.' : 'Loading…'}</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th>when</th>
              <th>target</th>
              <th>result</th>
              <th>first problem</th>
              <th className="num">pass / warn / fail / skip</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} className={row.id === selectedId ? 'selected' : undefined} onClick={onOpen ? () => onOpen(row.id) : undefined} style={onOpen ? { cursor: 'pointer' } : undefined}>
                <td>{compact ? <a href={`#/doctor?report=${row.id}`}>{formatTime(row.at)}</a> : formatTime(row.at)}</td>
                <td>
                  <code>{row.target}</code>
                </td>
                <td>
                  <span className={`badge ${row.ok ? 'badge-ok' : 'badge-bad'}`}>{row.ok ? 'ok' : 'failed'}</span>
                </td>
                <td>
                  {row.firstProblem ? (
                    <>
                      <span className={`badge ${STATUS_BADGE[row.firstProblem.status]}`}>{row.firstProblem.id}</span> {row.firstProblem.code ? <code>{row.firstProblem.code}</code> : null}
                    </>
                  ) : (
                    <span className="muted">none</span>
                  )}
                </td>
                <td className="num">
                  {row.counts.pass} / {row.counts.warn} / {row.counts.fail} / {row.counts.skip}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
