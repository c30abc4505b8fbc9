/**
 * One generator run of the benchmark, in its own process so its CPU is its own: the stress runner with
 * the HTTP target workload at a constant rate. Prints one JSON line with the summary's counts, the CPU
 * the run cost, and heap/RSS per second. A short warm-up run at a fifth of the rate goes first.
 *   node --import tsx generator-child.ts URL RATE SECONDS CONNECTIONS
 */
import { once } from 'node:events';
import type { RunSample, RunSummary } from '../../../../shared/contract/stress';
import { systemClock } from '../../clock/clock';
import { validateProfile } from '../../stress/profiles';
import { StressRunner } from '../../stress/stress-runner';
import { HttpTargetWorkload } from '../http-target-workload';

const [url = '', rateText = '5000', secondsText = '30', connectionsText = '64'] = process.argv.slice(2);
const rate = Number(rateText);
const seconds = Number(secondsText);
async function run(runRate: number, runSeconds: number): Promise<{ summary: RunSummary; samples: RunSample[] }> {
  const profile = validateProfile(
  {
    name: 'bench',
    stages: [{ executor: 'constant-arrival-rate', durationS: runSeconds, rate: runRate }],
    maxVUs: 10_000,
    gracefulStopS: 5,
    target: { url, connections: Number(connectionsText) },
  },
  'bench',
  );
  const workload = new HttpTargetWorkload({ target: profile.target!, clock: systemClock, describedUrl: url });
  const samples: RunSample[] = [];
  const runner = new StressRunner({ clock: systemClock, runId: 'bench', profile, mode: 'governed', workload, thresholds: [], onSample: (s) => samples.push(s) });
  try {
    return { summary: await runner.run(), samples };
  } finally {
    await workload.close();
  }
}

/** Says the warm-up is over and waits for the go (the bench reads the server's count in between). */
async function warmedUp(): Promise<void> {
  process.stdout.write(`${JSON.stringify({ warm: true })}\n`);
  await once(process.stdin, 'data');
  process.stdin.pause();
}

// Warm-up (not measured): compiles the HTTP parser and the hot paths, as the peer's warm-up does.
await run(Math.max(1, rate / 5), 3);
await warmedUp();
const cpuBefore = process.cpuUsage();
const { summary, samples } = await run(rate, seconds);
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(
  `${JSON.stringify({
    planned: summary.requests.planned,
    completed: summary.requests.completed,
    failed: summary.requests.failed,
    dropped: summary.requests.dropped,
    late: summary.requests.late,
    achieved: summary.rate.achieved,
    sent: summary.target?.sent ?? 0,
    latency_ms: summary.latency_ms,
    connections: summary.target?.connections,
    cpu_ms: (cpu.user + cpu.system) / 1000,
    in_flight: samples.map((s) => s.inFlight),
    p50_ms: samples.map((s) => Math.round(s.latencyMs.p50)),
    loop_ms: samples.map((s) => Math.round(s.eventLoopP99Ms)),
    heap_mb: samples.map((s) => s.heapUsedMb),
    rss_mb: samples.map((s) => s.rssMb),
  })}\n`,
);
