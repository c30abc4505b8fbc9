import { formatAdaptiveBench, runAdaptiveBench } from '../../stack/bench/adaptive/adaptive-bench';
import { runBenchmarks, type BenchReport } from '../../stack/bench/run-benchmarks';
import type { CaseResult } from '../../stack/bench/harness';
import { EXIT, UsageError, type CliCommand } from '../command';
import { parseNumberOption } from '../option-parsers';

export const benchCommand: CliCommand = {
  name: 'bench',
  summary: 'Benchmark the concurrency core against p-limit, p-queue, limiter and bottleneck',
  usage: `bulkhead bench [--json] [--quick] [--filter TEXT] [--min-ratio R]
       bulkhead bench --adaptive [--json]

Runs Bulkhead's Semaphore, TokenBucket and mapBounded side by side with the libraries agent code uses
today (p-limit, p-queue, limiter, bottleneck), in this one process: each contender is warmed up, rounds
are interleaved, and the median round counts. ratio = ours / peer (above 1 = Bulkhead is faster).
Close other heavy programs first; ratios are steadier than absolute numbers, but a busy machine moves both.

Options:
  --json          print {machine, cases:[{name, ours, peer, ours_ops_per_s, peer_ops_per_s, ratio}]}
  --quick         fewer operations and rounds (a few seconds instead of about half a minute; noisier)
  --filter TEXT   only cases whose name contains TEXT (e.g. semaphore, token, mapBounded)
  --min-ratio R   exit 1 if any ratio is below R (a CI gate, e.g. --min-ratio 1)
  --adaptive      instead: adaptive concurrency limits against a sweep of fixed limits on one load whose
                  provider capacity halves half-way (virtual time, exact, a few seconds); prints goodput
                  and p99 per policy and whether the adaptive ones met the goals. JSON: {scenario, rows,
                  bestFixed, bestFixedBeforeDrop, goals}
  -h, --help      show this help`,
  options: {
    json: { type: 'boolean' },
    quick: { type: 'boolean' },
    filter: { type: 'string' },
    'min-ratio': { type: 'string' },
    adaptive: { type: 'boolean' },
  },
  async run(values, _positionals, io) {
    if (values.adaptive === true) {
      if (values.quick === true || values.filter !== undefined || values['min-ratio'] !== undefined) {
        throw new UsageError('--adaptive runs its own comparison: drop --quick, --filter and --min-ratio.');
      }
      if (values.json !== true) io.stderr('Adaptive vs fixed limits in virtual time (capacity halves at 30 s); a few seconds…\n');
      const report = await runAdaptiveBench(undefined, io.signal);
      io.stdout(values.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatAdaptiveBench(report));
      return EXIT.ok;
    }
    const json = values.json === true;
    const minRatio = parseNumberOption('min-ratio', values['min-ratio'], { min: 0, max: 1000 });
    const filter = values.filter as string | undefined;
    if (filter !== undefined && filter.trim() === '') throw new UsageError('--filter needs some text, e.g. --filter semaphore.');
    if (!json) io.stderr(`Benchmarking in one process${values.quick ? ' (quick)' : ''}; this takes ${values.quick ? 'a few seconds' : 'about half a minute'}…\n`);
    const report = await runBenchmarks({
      quick: values.quick === true,
      ...(filter ? { filter } : {}),
      signal: io.signal,
      onCase: json ? undefined : (results) => io.stderr(results.map((r) => `  ${r.name} — ${r.ours} vs ${r.peer}: ${r.ratio}×\n`).join('')),
    });
    if (report.cases.length === 0) throw new UsageError(`--filter ${JSON.stringify(filter)} matches no benchmark case.`);
    io.stdout(json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    const below = minRatio === undefined ? [] : report.cases.filter((c) => c.ratio < minRatio);
    if (below.length > 0) {
      io.stderr(`bulkhead bench: ${below.length} case(s) below --min-ratio ${minRatio}: ${below.map((c) => `${c.name} vs ${c.peer} (${c.ratio}×)`).join('; ')}\n`);
      return EXIT.failed;
    }
    return EXIT.ok;
  },
};

/** A Markdown table (pastes straight into the README), with the machine it ran on. */
export function formatReport(report: BenchReport): string {
  const m = report.machine;
  const rows = report.cases.map((c: CaseResult) => `| ${c.name} | ${c.ours} | ${c.peer} | ${fmt(c.ours_ops_per_s)} | ${fmt(c.peer_ops_per_s)} | **${c.ratio.toFixed(2)}×** |`);
  return [
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memory_gb} GB, Node ${m.node}, ${m.platform}`,
    '',
    '| case | ours | peer | ours ops/s | peer ops/s | ratio |',
    '|---|---|---|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n');
}

function fmt(opsPerSec: number): string {
  return opsPerSec.toLocaleString('en-US');
}
