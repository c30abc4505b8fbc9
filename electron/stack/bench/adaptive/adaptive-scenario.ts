import { sleep } from '../../clock/clock';
import { ManualClock } from '../../clock/manual-clock';
import { AdaptiveSemaphore } from '../../concurrency/adaptive/adaptive-semaphore';
import type { LimitAlgorithm } from '../../concurrency/adaptive/limit-algorithm';
import { Semaphore } from '../../concurrency/semaphore';
import { CongestionModel, type CongestionSettings } from '../../providers/simulator/congestion';
import { createRandom } from '../../providers/simulator/prng';

/** The load and the provider every policy in one comparison faces, identically (same seed). */
export interface Scenario {
  durationMs: number;
  /** Poisson arrivals per second (open loop: callers do not wait for each other). */
  arrivalsPerSecond: number;
  /** Provider latency at or below the knee; each call draws ±jitter around it. */
  baseLatencyMs: number;
  jitter: number;
  /** How long an overload refusal (503/529) takes to come back. */
  refusalMs: number;
  /** A caller gives up waiting for a permit after this long (shed, not goodput). */
  queueTimeoutMs: number;
  congestion: CongestionSettings;
  /** Where "after the drop" starts for the p99 figure (the first capacity change). */
  dropAtMs: number;
  seed: number;
}

export type Policy = { kind: 'fixed'; limit: number } | { kind: 'adaptive'; label: string; algorithm: () => LimitAlgorithm };

export interface ScenarioResult {
  policy: string;
  completed: number;
  /** Completed calls per second over the whole run. */
  goodput: number;
  goodputBeforeDrop: number;
  goodputAfterDrop: number;
  /** Provider-call p99 (permit held: what the limit controls) after the drop, ms. */
  callP99AfterMs: number;
  /** End-to-end p99 of completed requests (permit wait + call) after the drop, ms. */
  endToEndP99AfterMs: number;
  overloaded: number;
  shed: number;
  /** Mean permits in force before and after the drop (a fixed limit: itself). */
  meanLimitBefore: number;
  meanLimitAfter: number;
  limitHistory: { t: number; limit: number }[];
}

class OverloadedError extends Error {
  readonly status = 503;
}

interface Completion {
  finishedAt: number;
  callMs: number;
  endToEndMs: number;
}

/**
 * Runs one policy against the scenario in virtual time (a ManualClock): arrivals, permit waits, provider
 * latency from the simulator's congestion model, refusals past its cliff, the capacity change. Exact
 * and repeatable; a minute of load takes well under a second.
 */
export async function runScenario(scenario: Scenario, policy: Policy): Promise<ScenarioResult> {
  const clock = new ManualClock(0);
  const random = createRandom(scenario.seed);
  const congestion = new CongestionModel(() => scenario.congestion, 0);
  const adaptive = policy.kind === 'adaptive' ? new AdaptiveSemaphore({ name: policy.label, algorithm: policy.algorithm(), clock, historySize: 100_000 }) : null;
  const limiter = adaptive ?? new Semaphore({ name: `fixed-${policy.kind === 'fixed' ? policy.limit : 0}`, permits: policy.kind === 'fixed' ? policy.limit : 1, clock });
  const completions: Completion[] = [];
  let overloaded = 0;
  let shed = 0;
  const limitSamples: { t: number; limit: number }[] = [];

  const call = async (): Promise<number> => {
    const started = clock.now();
    const admission = congestion.admit(started);
    if (!admission.ok) {
      await sleep(clock, scenario.refusalMs);
      throw new OverloadedError('overloaded');
    }
    try {
      const jitter = 1 + (random.next() * 2 - 1) * scenario.jitter;
      await sleep(clock, scenario.baseLatencyMs * jitter * admission.latencyFactor);
    } finally {
      admission.release();
    }
    return clock.now() - started;
  };

  const request = async (): Promise<void> => {
    const arrivedAt = clock.now();
    try {
      const callMs = await limiter.withPermit(call, { timeoutMs: scenario.queueTimeoutMs });
      completions.push({ finishedAt: clock.now(), callMs, endToEndMs: clock.now() - arrivedAt });
    } catch (error) {
      if (error instanceof OverloadedError) overloaded += 1;
      else shed += 1;
    }
  };

  // Arrivals: exponential gaps from the seeded stream, scheduled one after another.
  const arrive = (): void => {
    if (clock.now() >= scenario.durationMs) return;
    void request();
    const gap = -Math.log(1 - random.next()) * (1000 / scenario.arrivalsPerSecond);
    clock.setTimeout(arrive, gap);
  };
  const sampleLimit = (): void => {
    limitSamples.push({ t: clock.now(), limit: limiter.permits });
    if (clock.now() < scenario.durationMs) clock.setTimeout(sampleLimit, 100);
  };
  clock.setTimeout(arrive, 0);
  clock.setTimeout(sampleLimit, 0);
  // Run past the end so calls in flight finish; only completions inside the run count.
  await clock.advanceAsync(scenario.durationMs + scenario.queueTimeoutMs + scenario.baseLatencyMs * 20);

  const inRun = completions.filter((c) => c.finishedAt <= scenario.durationMs);
  const before = inRun.filter((c) => c.finishedAt < scenario.dropAtMs);
  const after = inRun.filter((c) => c.finishedAt >= scenario.dropAtMs);
  const limitsBefore = limitSamples.filter((s) => s.t < scenario.dropAtMs);
  const limitsAfter = limitSamples.filter((s) => s.t >= scenario.dropAtMs);
  return {
    policy: policy.kind === 'fixed' ? `fixed ${policy.limit}` : policy.label,
    completed: inRun.length,
    goodput: round(inRun.length / (scenario.durationMs / 1000), 1),
    goodputBeforeDrop: round(before.length / (scenario.dropAtMs / 1000), 1),
    goodputAfterDrop: round(after.length / ((scenario.durationMs - scenario.dropAtMs) / 1000), 1),
    callP99AfterMs: Math.round(p99(after.map((c) => c.callMs))),
    endToEndP99AfterMs: Math.round(p99(after.map((c) => c.endToEndMs))),
    overloaded,
    shed,
    meanLimitBefore: round(mean(limitsBefore.map((s) => s.limit)), 1),
    meanLimitAfter: round(mean(limitsAfter.map((s) => s.limit)), 1),
    limitHistory: adaptive ? adaptive.adaptiveState().history : [],
  };
}

function p99(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? 0;
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
