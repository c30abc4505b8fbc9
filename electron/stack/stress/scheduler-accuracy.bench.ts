/**
 * Scheduler accuracy benchmark (not a test): does a stress run keep 2,000 arrivals/s on this machine
 * against a no-op workload? The whole runner is measured — scheduler, per-request latency recording,
 * per-second samples — and it prints achieved vs target rate, the per-second spread, start lag,
 * late/dropped counts and the CPU it cost.
 *   npx tsx electron/stack/stress/scheduler-accuracy.bench.ts [rate=2000] [seconds=20] [tickMs=2]
 */
import type { RunSample } from '../../../shared/contract/stress';
import { systemClock } from '../clock/clock';
import { validateProfile } from './profiles';
import { StressRunner } from './stress-runner';
import { noopWorkload } from './workload';

const rate = Number(process.argv[2] ?? 2000);
const seconds = Number(process.argv[3] ?? 20);
const tickMs = Number(process.argv[4] ?? 2);

const profile = validateProfile(
  { name: 'noop-accuracy', mix: { noop: 1 }, stages: [{ executor: 'constant-arrival-rate', durationS: seconds, rate }], maxVUs: 10_000, gracefulStopS: 5 },
  'bench',
);
const samples: RunSample[] = [];
const runner = new StressRunner({
  clock: systemClock,
  runId: 'bench',
  profile,
  mode: 'governed',
  workload: noopWorkload(),
  thresholds: [],
  tickMs,
  onSample: (sample) => samples.push(sample),
});
const cpuBefore = process.cpuUsage();
const wallBefore = performance.now();
const summary = await runner.run();
const wallMs = performance.now() - wallBefore;
const cpu = process.cpuUsage(cpuBefore);
const whole = samples.filter((s) => s.second <= seconds).map((s) => s.started);
console.log(
  JSON.stringify(
    {
      target_rate: rate,
      seconds,
      tick_ms: tickMs,
      planned: summary.requests.planned,
      completed: summary.requests.completed,
      dropped: summary.requests.dropped,
      late: summary.requests.late,
      achieved_rate: summary.rate.achieved,
      achieved_vs_target_pct: Math.round((summary.rate.achieved / rate) * 10_000) / 100,
      per_second_started: { min: Math.min(...whole), max: Math.max(...whole) },
      latency_ms: summary.latency_ms,
      event_loop_p99_ms: summary.runtime.event_loop_p99_ms,
      cpu_percent_of_one_core: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 1000) / 10,
    },
    null,
    2,
  ),
);
