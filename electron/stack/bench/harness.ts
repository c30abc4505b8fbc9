import { cpus, totalmem } from 'node:os';

/**
 * A tiny, honest micro-benchmark runner for comparing our primitives with peer libraries in one process:
 * every contender runs the same workload, rounds are interleaved (ours, peer, peer, ours, …) so drift in
 * CPU frequency or GC pressure hits both, each contender is warmed up first, and the median round is kept.
 */

/** Runs one batch of the workload and returns how many operations it completed. */
export type Workload = () => Promise<number> | number;

export interface Contender {
  readonly label: string;
  /** Builds a fresh workload (new semaphore / limiter) per round, so no state leaks between rounds. */
  readonly setup: () => Workload;
}

export interface BenchCase {
  readonly name: string;
  /**
   * What a round's time is: 'wall' (default) or 'cpu' — the process's CPU time (user + system), for a
   * case asking whether extra work in the same process slows it, which wall time on a shared, loaded
   * machine cannot tell apart from other processes taking the cores.
   */
  readonly timing?: 'wall' | 'cpu';
  readonly ours: Contender;
  readonly peers: readonly Contender[];
}

export interface CaseResult {
  name: string;
  ours: string;
  peer: string;
  ours_ops_per_s: number;
  peer_ops_per_s: number;
  ratio: number;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memory_gb: number;
  node: string;
  platform: string;
}

export interface BenchOptions {
  rounds: number;
  warmupRounds: number;
  /** Called once per case as it finishes, for progress output. */
  onCase?: (results: readonly CaseResult[]) => void;
  signal?: AbortSignal;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memory_gb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
  };
}

async function measure(contender: Contender, timing: 'wall' | 'cpu'): Promise<number> {
  const workload = contender.setup();
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const ops = await workload();
  const cpu = process.cpuUsage(cpuStart);
  const elapsedMs = timing === 'cpu' ? (cpu.user + cpu.system) / 1000 : performance.now() - start;
  return (ops / Math.max(elapsedMs, 1e-3)) * 1000;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export async function runCases(cases: readonly BenchCase[], options: BenchOptions): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const bench of cases) {
    const contenders = [bench.ours, ...bench.peers];
    const samples = contenders.map(() => [] as number[]);
    for (let round = 0; round < options.warmupRounds + options.rounds; round++) {
      if (options.signal?.aborted) throw options.signal.reason;
      // Alternate the order every round so neither side always runs right after a GC-heavy peer.
      const order = contenders.map((_, index) => index);
      if (round % 2 === 1) order.reverse();
      for (const index of order) {
        const opsPerSec = await measure(contenders[index]!, bench.timing ?? 'wall');
        if (round >= options.warmupRounds) samples[index]!.push(opsPerSec);
      }
    }
    const oursRate = median(samples[0]!);
    const caseResults = bench.peers.map((peer, index) => {
      const peerRate = median(samples[index + 1]!);
      return {
        name: bench.name,
        ours: bench.ours.label,
        peer: peer.label,
        ours_ops_per_s: Math.round(oursRate),
        peer_ops_per_s: Math.round(peerRate),
        ratio: Math.round((oursRate / peerRate) * 100) / 100,
      };
    });
    results.push(...caseResults);
    options.onCase?.(caseResults);
  }
  return results;
}
