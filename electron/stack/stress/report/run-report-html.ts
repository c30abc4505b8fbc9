import type { RunRecord, RunSample, RunSummary } from '../../../../shared/contract/stress';
import { chartsFor } from '../../../../shared/run-charts';
import { describeRates } from '../../../../shared/run-figures';
import { verdictOf } from '../../../../shared/run-verdict';
import { escapeHtml } from './html-escape';
import { svgLineChart } from './svg-line-chart';

/** Dark like the panel; everything inline, so the file is the whole report. */
const STYLE = `
:root { color-scheme: dark; --bg: #0e1117; --panel: #151a23; --border: #262d3d; --text: #e6e9f0; --muted: #8b93a7; --ok: #34d399; --warn: #fbbf24; --bad: #f87171; }
* { box-sizing: border-box; }
body { margin: 0; padding: 28px; background: var(--bg); color: var(--text); font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 0 0 10px; }
.muted { color: var(--muted); }
.card { background: var(--panel); border: 1px solid var(--border); border-radius: 10px; padding: 14px 16px; margin: 14px 0; }
.badge { display: inline-block; padding: 1px 10px; border-radius: 999px; font-weight: 600; border: 1px solid; }
.tone-ok { color: var(--ok); } .tone-warn { color: var(--warn); } .tone-bad { color: var(--bad); } .tone-muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th { text-align: left; color: var(--muted); font-weight: 500; width: 170px; vertical-align: top; }
th, td { padding: 5px 10px; border-bottom: 1px solid #1d2330; }
code { font: 12.5px ui-monospace, Menlo, Consolas, monospace; }
ul.thresholds { list-style: none; padding: 0; margin: 0; display: grid; gap: 4px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 14px; }
figure.chart { margin: 0; background: var(--panel); border: 1px solid var(--border); border-radius: 10px; padding: 12px; }
figure.chart figcaption { font-weight: 600; margin-bottom: 6px; }
figure.chart svg { width: 100%; height: auto; display: block; }
ul.legend { list-style: none; padding: 0; margin: 6px 0 0; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
footer { margin-top: 24px; font-size: 12px; }
`;

/**
 * A stress run as one self-contained HTML file, like k6's web-dashboard export: the verdict, thresholds,
 * the numbers that decide an A/B comparison, the configuration as run, and the per-second charts as
 * inline SVG. No script, no external request (a CSP meta forbids any), so it opens anywhere and can be
 * attached to a ticket or a CI artefact as it is.
 */
export function renderRunReportHtml(run: RunRecord, samples: readonly RunSample[], generatedAt: number): string {
  const verdict = verdictOf(run);
  const s = run.summary;
  const title = `${run.name} · ${run.config.mode} · ${new Date(run.createdAt).toISOString()}`;
  const x = samples.map((sample) => sample.second);
  const charts = chartsFor(run.config.profile.target !== undefined).flatMap((chart) => {
    const rows = samples.map((sample) => chart.values(sample));
    const columns = chart.series.map((_, index) => rows.map((row) => row[index] ?? null));
    if (chart.onlyWithData && !columns.some((column) => column.some((value) => value !== null))) return [];
    return svgLineChart({ title: chart.title, unit: chart.unit, series: chart.series, x, columns });
  });

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bulkhead stress run ${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Stress run: ${escapeHtml(run.name)} <span class="badge tone-${verdict.tone}">${escapeHtml(verdict.label)}</span></h1>
<div class="muted">${escapeHtml(title)} · run <code>${escapeHtml(run.id)}</code> · ${escapeHtml(run.status)}</div>
${run.error ? `<div class="card tone-warn">${escapeHtml(run.error)}</div>` : ''}
${s ? summarySection(s) : '<div class="card muted">This run has no result (it did not finish).</div>'}
${configSection(run)}
${samples.length > 0 ? `<h2>Per second</h2><div class="charts">${charts.join('\n')}</div>` : '<p class="muted">This run stored no per-second samples.</p>'}
<footer class="muted">Exported by Bulkhead on ${escapeHtml(new Date(generatedAt).toISOString())} from ${samples.length} per-second samples. Latency counts from each request's intended start.</footer>
</body>
</html>
`;
}

function row(label: string, value: string): string {
  return `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`;
}

function ms(value: number | null): string {
  if (value === null) return '—';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value >= 100 ? 0 : 1)} ms`;
}

function summarySection(s: RunSummary): string {
  const errors = Object.entries(s.errors).sort((a, b) => b[1] - a[1]);
  const thresholds = s.thresholds
    .map((t) => `<li class="${t.ok ? 'tone-ok' : 'tone-bad'}">${t.ok ? '✓' : '✗'} <code>${escapeHtml(t.expr)}</code> <span class="muted">${t.value === null ? 'no value' : escapeHtml(String(t.value))}</span></li>`)
    .join('');
  return `<div class="card"><h2>Result</h2><table>
${row('requests', `${s.requests.planned} planned · ${s.requests.completed} completed · ${s.requests.failed} failed (${s.requests.shed} shed) · ${s.requests.dropped} dropped · ${s.requests.late} late`)}
${row('rate', `${describeRates(s.rate)} · lasted ${s.duration_s} s`)}
${row('latency', `p50 ${ms(s.latency_ms.p50)} · p90 ${ms(s.latency_ms.p90)} · p95 ${ms(s.latency_ms.p95)} · p99 ${ms(s.latency_ms.p99)} · max ${ms(s.latency_ms.max)}`)}
${row('errors', errors.length === 0 ? 'none' : errors.map(([kind, n]) => `${kind} ${n}`).join(' · '))}
${row('provider', `${s.provider.name}: ${s.provider.calls} calls · ${s.provider.http_429} × 429 · ${s.provider.retries} retries`)}
${row('database', `${s.db.max_server_connections ?? '—'} server connections at most (pool max ${s.db.pool_max ?? 'none'}) · acquire wait p99 ${ms(s.db.acquire_wait_p99_ms)}${s.db.too_many_clients > 0 ? ` · ${s.db.too_many_clients} × too many clients` : ''}`)}
${row('runtime', `event-loop delay p99 ${ms(s.runtime.event_loop_p99_ms)} · heap peak ${s.runtime.heap_peak_mb} MB · RSS peak ${s.runtime.rss_peak_mb} MB`)}
${s.chaos ? row('chaos', s.chaos) : ''}
${s.regression ? row('baseline', `${s.regression.baseline}: ${s.regression.regressed ? 'regressed' : 'no regression'} — ${s.regression.detail}`) : ''}
</table>
${thresholds ? `<h2 style="margin-top:12px">Thresholds</h2><ul class="thresholds">${thresholds}</ul>` : ''}</div>`;
}

function configSection(run: RunRecord): string {
  const c = run.config;
  const stages = c.profile.stages
    .map((stage) => (stage.executor === 'constant-arrival-rate' ? `${stage.rate}/s for ${stage.durationS} s` : `${stage.fromRate}→${stage.toRate}/s over ${stage.durationS} s`))
    .join(', then ');
  return `<div class="card"><h2>Configuration</h2><table>
${row('profile', `${c.profile.name}${c.rateOverride !== null ? ` · rate ${c.rateOverride}/s` : ''}${c.durationOverrideS !== null ? ` · duration ${c.durationOverrideS} s` : ''}`)}
${row('stages', stages)}
${row('mode', c.mode)}
${row('provider', c.providerEndpoint ?? c.provider)}
${row('started from', c.source === 'cli' ? 'the command line' : 'the panel')}
${c.profile.description ? row('about the profile', c.profile.description) : ''}
</table></div>`;
}
