import type { MetricComparison, RegressionReport } from '../../../../shared/contract';
import { formatPercentChange } from '../../../../shared/run-figures';

const VERDICT_BADGE: Record<MetricComparison['verdict'], string> = {
  regressed: 'badge-bad',
  improved: 'badge-ok',
  unchanged: 'badge-muted',
  'insufficient-data': 'badge-warn',
};

function value(v: number | null, unit: string): string {
  if (v === null) return '—';
  const abs = Math.abs(v);
  return `${abs >= 100 ? v.toFixed(0) : abs >= 10 ? v.toFixed(1) : v.toFixed(2)} ${unit}`;
}

function pValue(p: number): string {
  if (p < 0.0001) return '< 0.0001';
  return p < 0.01 ? p.toFixed(4) : p.toFixed(3);
}

/** The gate's answer per metric: medians, change, p-value, how confident, and the verdict in words. */
export function ComparisonTable({ report }: { report: RegressionReport }) {
  return (
    <div className="card regression-report" data-testid="regression-report" data-regressed={report.regressed ? 'true' : 'false'}>
      <div className={`notice ${report.regressed ? 'notice-bad' : 'notice-ok'}`} role="status">
        <strong>{report.summary}</strong>
        <span className="muted">
          Baseline {report.baseline.name} ({report.baseline.windows} windows of {report.baseline.windowMs / 1000} s from {report.baseline.runId}) vs {report.current.runId} ({report.current.windows} windows). A metric regresses only when its windows are worse by more than {report.settings.minEffectPct} % with a family-wise confidence of {Math.round((1 - report.settings.alpha) * 100)} % (Mann–Whitney U, Holm-corrected).
        </span>
      </div>
      <table className="data">
        <thead>
          <tr>
            <th>metric</th>
            <th className="num">baseline · median of windows</th>
            <th className="num">this run · median of windows</th>
            <th className="num">change</th>
            <th className="num">p (adjusted)</th>
            <th>confidence it moved &gt; {report.settings.minEffectPct} %</th>
            <th>verdict</th>
          </tr>
        </thead>
        <tbody>
          {report.metrics.map((m) => {
            const worse = m.changePct !== null && (m.worseWhen === 'higher' ? m.changePct > 0 : m.changePct < 0);
            return (
              <tr key={m.metric} data-metric={m.metric} data-verdict={m.verdict} title={m.explanation}>
                <td>
                  <div>{m.label}</div>
                  <div className="muted regression-explanation">{m.explanation}</div>
                </td>
                <td className="num">{value(m.baselineMedian, m.unit)}</td>
                <td className="num">{value(m.currentMedian, m.unit)}</td>
                <td className={`num ${m.changePct === null || Math.abs(m.changePct) < report.settings.minEffectPct ? '' : worse ? 'change-bad' : 'change-good'}`}>
                  {m.changePct === null ? '—' : formatPercentChange(m.changePct, 1)}
                </td>
                <td className="num">{m.method === 'none' ? '—' : pValue(m.adjustedP)}</td>
                <td>
                  <div className="confidence" aria-label={`confidence ${Math.round(m.confidence * 100)} %`}>
                    <div className={`confidence-bar ${m.verdict === 'regressed' ? 'bad' : m.verdict === 'improved' ? 'good' : ''}`} style={{ width: `${Math.round(m.confidence * 100)}%` }} />
                    <span>{m.method === 'none' ? '—' : `${(m.confidence * 100).toFixed(m.confidence > 0.99 && m.confidence < 1 ? 2 : 0)} %`}</span>
                  </div>
                </td>
                <td>
                  <span className={`badge ${VERDICT_BADGE[m.verdict]}`}>{m.verdict}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
