import type { RunProgress, RunRecord } from '../../shared/contract/stress';
import { describeRates } from '../../shared/run-figures';
import { runVerdict } from '../../shared/verdicts';

/**
 * The one-line live progress of a run, for a terminal (rewritten in place with \r). `preparing` says
 * what the run is waiting for before its first arrival (e.g. a database that is still unreachable).
 */
export function progressLine(progress: RunProgress, width = 24, preparing?: string): string {
  const fraction = progress.plannedMs === 0 ? 0 : Math.min(1, progress.elapsedMs / progress.plannedMs);
  const filled = Math.round(fraction * width);
  const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
  const errors = Object.values(progress.errors).reduce((n, v) => n + v, 0);
  if (progress.phase === 'preparing') return `[${bar}] ${preparing ?? 'preparing the stack (database, simulator)…'}`;
  const phase = progress.phase === 'finishing' ? ' finishing' : '';
  return (
    `[${bar}] ${seconds(progress.elapsedMs)}/${seconds(progress.plannedMs)}${phase}` +
    `  rate ${progress.achievedRate.toFixed(0)}/${progress.targetRate.toFixed(0)} req/s` +
    `  p95 ${ms(progress.latencyMs.p95)}` +
    `  ok ${progress.requests.completed}  err ${errors}  429s ${progress.http429}` +
    `  dropped ${progress.requests.dropped}  in flight ${progress.requests.inFlight}` +
    (progress.dbConnections === null ? '' : `  db conns ${progress.dbConnections}`)
  );
}

/** A plain progress line for logs (no terminal): every few seconds. */
export function progressLogLine(progress: RunProgress, preparing?: string): string {
  return progressLine(progress, 10, preparing).replace(/^\[[#.]+\] /, '');
}

/** The human-readable result of a run. */
export function formatReport(record: RunRecord): string {
  const s = record.summary;
  const head = `bulkhead stress: ${record.name} (${record.config.mode}) — ${record.id}`;
  if (!s) {
    // The stored reason ends in " Fix: …" when it has a remedy: shown on its own line, as the doctor does.
    const [reason, fix] = (record.error ?? 'no result').split(' Fix: ', 2);
    return `${head}\n  verdict     ${runVerdict(record)}: ${reason}\n${fix ? `  fix: ${fix}\n` : ''}`;
  }
  const held = s.thresholds.filter((t) => t.ok).length;
  const lines = [
    head,
    `  verdict     ${runVerdict(record)} — ${verdictReasons(s, held).join('; ')}${record.error ? ` — ${record.error}` : ''}`,
    `  requests    ${s.requests.planned} planned · ${s.requests.completed} completed · ${s.requests.failed} failed (${s.requests.shed} shed) · ${s.requests.dropped} dropped · ${s.requests.late} late`,
    `  rate        ${describeRates(s.rate)} · lasted ${s.duration_s} s`,
    `  latency     p50 ${ms(s.latency_ms.p50)} · p90 ${ms(s.latency_ms.p90)} · p95 ${ms(s.latency_ms.p95)} · p99 ${ms(s.latency_ms.p99)} · max ${ms(s.latency_ms.max)} (successful requests, from intended start)`,
    `  errors      ${formatErrors(s.errors)}`,
    `  provider    ${s.provider.name} · ${s.provider.calls} calls · ${s.provider.http_429} × 429 · ${s.provider.retries} retries`,
    s.db.max_server_connections === null && s.db.pool_max === null
      ? '  database    not used by this run'
      : `  database    server connections max ${s.db.max_server_connections ?? '—'} (pool max ${s.db.pool_max ?? 'none: a connection per query'}) · acquire wait p99 ${s.db.acquire_wait_p99_ms === null ? '—' : ms(s.db.acquire_wait_p99_ms)}${s.db.too_many_clients > 0 ? ` · ${s.db.too_many_clients} × "too many clients"` : ''}`,
    `  runtime     event loop p99 ${ms(s.runtime.event_loop_p99_ms)} · heap peak ${s.runtime.heap_peak_mb} MB · RSS peak ${s.runtime.rss_peak_mb} MB`,
  ];
  if (s.chaos) lines.push(`  chaos       ${s.chaos}`);
  if (s.regression) lines.push(`  baseline    ${s.regression.baseline}: ${s.regression.regressed ? 'regressed' : 'no regression'} — ${s.regression.detail}`);
  if (s.thresholds.length > 0) {
    lines.push('  thresholds');
    for (const t of s.thresholds) lines.push(`    ${t.ok ? '✓' : '✗'} ${t.expr.padEnd(34)} ${t.value === null ? 'no value' : String(t.value)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The JSON of `bulkhead stress --json`: the summary (the documented shape) plus `verdict` in the
 * panel's words, or what is known when the run produced none.
 */
export function reportJson(record: RunRecord): string {
  const verdict = runVerdict(record);
  if (record.summary) return `${JSON.stringify({ ...record.summary, verdict })}\n`;
  return `${JSON.stringify({ run_id: record.id, profile: record.name, mode: record.config.mode, ok: false, status: record.status, verdict, error: record.error })}\n`;
}

/** Why the verdict is what it is: thresholds, and a regression against the baseline when there is one. */
function verdictReasons(s: NonNullable<RunRecord['summary']>, held: number): string[] {
  const reasons = [s.thresholds.length > 0 ? `${held} of ${s.thresholds.length} thresholds held` : 'no thresholds'];
  if (s.regression?.regressed) reasons.push(`regressed against baseline "${s.regression.baseline}"`);
  return reasons;
}

function formatErrors(errors: Record<string, number>): string {
  const entries = Object.entries(errors).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? 'none' : entries.map(([kind, n]) => `${kind} ${n}`).join(' · ');
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value >= 100 ? 0 : 1)} ms`;
}

function seconds(valueMs: number): string {
  return `${Math.floor(valueMs / 1000)}s`;
}
