import type { RunExport, RunExportFormat, RunRecord, RunSample } from '../../../../shared/contract/stress';
import { renderRunReportHtml } from './run-report-html';

/** Bumped when the JSON export's shape changes, so tools reading saved files can tell. */
export const RUN_EXPORT_VERSION = 1;

/**
 * One stored run as a file: JSON (the record with every per-second sample, for tools) or a
 * self-contained HTML report (for people). Used by the panel through `stress.runs.export`; a CLI can call
 * the same function.
 */
export function exportRun(run: RunRecord, samples: readonly RunSample[], format: RunExportFormat, now: number): RunExport {
  const stem = `bulkhead-${run.name}-${run.config.mode}-${run.id}`.replace(/[^A-Za-z0-9._-]+/g, '_');
  if (format === 'json') {
    const content = `${JSON.stringify({ bulkheadRunExport: RUN_EXPORT_VERSION, exportedAt: new Date(now).toISOString(), run, samples }, null, 2)}\n`;
    return { filename: `${stem}.json`, mimeType: 'application/json', content };
  }
  return { filename: `${stem}.html`, mimeType: 'text/html', content: renderRunReportHtml(run, samples, now) };
}
