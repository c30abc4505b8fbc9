import { attachCases } from '../attach/attach.bench';
import { mapBoundedCases } from '../concurrency/map-bounded.bench';
import { semaphoreCases } from '../concurrency/semaphore.bench';
import { tokenBucketCases } from '../ratelimit/token-bucket.bench';
import { machineInfo, runCases, type BenchCase, type CaseResult, type MachineInfo } from './harness';

export interface BenchReport {
  machine: MachineInfo;
  cases: CaseResult[];
}

export interface BenchRunOptions {
  /** Fewer operations and rounds: a quick look (ratios noisier). */
  quick?: boolean;
  /** Only cases whose name contains this text. */
  filter?: string;
  signal?: AbortSignal;
  onCase?: (results: readonly CaseResult[]) => void;
}

/** Every benchmark of the concurrency core against its peers, in one process, with ratios (ours / peer). */
export function allCases(scale: number): BenchCase[] {
  return [...semaphoreCases(scale), ...tokenBucketCases(scale), ...mapBoundedCases(scale)];
}

export async function runBenchmarks(options: BenchRunOptions = {}): Promise<BenchReport> {
  const scale = options.quick ? 0.25 : 1;
  const filter = options.filter?.toLowerCase();
  // The attach case owns a loopback endpoint and a reporter while it runs; disposed whatever happens.
  const attach = attachCases(scale);
  const cases = [...allCases(scale), ...attach.cases].filter((bench) => !filter || bench.name.toLowerCase().includes(filter));
  try {
    const results = await runCases(cases, {
      rounds: options.quick ? 3 : 9,
      warmupRounds: options.quick ? 1 : 2,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onCase ? { onCase: options.onCase } : {}),
    });
    return { machine: machineInfo(), cases: results };
  } finally {
    await attach.dispose();
  }
}
