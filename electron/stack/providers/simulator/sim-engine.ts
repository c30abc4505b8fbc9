import type { Clock } from '../../clock/clock';
import { CongestionModel, type CongestionSnapshot } from './congestion';
import { AnthropicLimitModel, type AnthropicBucketSnapshot } from './anthropic-limits';
import { FaultController, type FaultKind, type FaultSetting, type FaultSnapshot } from './faults';
import { OpenAILimitModel, type OpenAIBucketSnapshot } from './openai-limits';
import { PromptCache } from './prompt-cache';
import { createRandom, type Random } from './prng';
import { applySettingsPatch, DEFAULT_SETTINGS, type SimulatorSettings } from './sim-config';
import { SimulatorStats, type SimulatorCounters } from './sim-stats';

/** Plain data for the panel and the admin endpoint. */
export interface SimulatorSnapshot {
  t: number;
  uptimeMs: number;
  seed: number;
  requestsPerSecond: number;
  counters: SimulatorCounters;
  hungRequests: number;
  buckets: { openai: OpenAIBucketSnapshot; anthropic: AnthropicBucketSnapshot };
  faults: FaultSnapshot[];
  congestion: CongestionSnapshot;
  settings: SimulatorSettings;
}

/** What callers may change while the simulator runs (in-process; the admin endpoint maps onto it). */
export interface SimulatorControl {
  settings(): SimulatorSettings;
  /** Validates and applies a partial settings change; limit changes keep what was already used. */
  update(patch: unknown): SimulatorSettings;
  setFault(fault: FaultSetting): void;
  /** One kind, or all faults when no kind is given. */
  clearFault(kind?: FaultKind): void;
  /** Refill every bucket and zero the counters (between runs). */
  reset(): void;
  snapshot(): SimulatorSnapshot;
}

export interface SimulatorEngineOptions {
  clock: Clock;
  seed: number;
  settings?: unknown;
  faults?: readonly FaultSetting[];
}

/**
 * Everything the simulator knows, independent of HTTP: settings, limit models, faults, the seeded
 * random stream and counters. Routes read it; the control API changes it.
 */
export class SimulatorEngine implements SimulatorControl {
  readonly clock: Clock;
  readonly seed: number;
  readonly faults: FaultController;
  readonly stats = new SimulatorStats();
  readonly openai: OpenAILimitModel;
  readonly anthropic: AnthropicLimitModel;
  readonly promptCache: PromptCache;
  /** Latency past a knee, overload past a cliff, capacity changes over time (off unless enabled). */
  readonly congestion: CongestionModel;
  private current: SimulatorSettings;
  private readonly random: Random;
  private readonly startedAt: number;
  private sequence = 0;

  constructor(options: SimulatorEngineOptions) {
    this.clock = options.clock;
    this.seed = options.seed;
    this.random = createRandom(options.seed);
    this.current = applySettingsPatch(DEFAULT_SETTINGS, options.settings);
    const now = this.clock.now();
    this.startedAt = now;
    const behaviour = (): SimulatorSettings['behaviour'] => this.current.behaviour;
    this.openai = new OpenAILimitModel(this.current.openai, now, behaviour);
    this.anthropic = new AnthropicLimitModel(this.current.anthropic, now, behaviour);
    this.promptCache = new PromptCache(this.clock);
    this.congestion = new CongestionModel(() => this.current.congestion, now);
    this.faults = new FaultController(this.clock);
    for (const fault of options.faults ?? []) this.faults.set(fault);
  }

  /** Each request gets its own generator from the master stream, in arrival order. */
  nextRequest(): { random: Random; sequence: number; tag: string } {
    const seed = this.random.uint32();
    this.sequence += 1;
    const tag = `${this.sequence.toString(36)}${seed.toString(16).padStart(8, '0')}`;
    return { random: createRandom(seed), sequence: this.sequence, tag };
  }

  get live(): SimulatorSettings {
    return this.current;
  }

  settings(): SimulatorSettings {
    return structuredClone(this.current);
  }

  update(patch: unknown): SimulatorSettings {
    const next = applySettingsPatch(this.current, patch);
    const now = this.clock.now();
    this.openai.setLimits(next.openai, now);
    this.anthropic.setLimits(next.anthropic, now);
    this.current = next;
    return this.settings();
  }

  setFault(fault: FaultSetting): void {
    this.faults.set(fault);
  }

  clearFault(kind?: FaultKind): void {
    this.faults.clear(kind);
  }

  reset(): void {
    const now = this.clock.now();
    this.openai.reset(now);
    this.anthropic.reset(now);
    this.stats.reset();
    this.promptCache.clear();
    this.congestion.reset(now);
  }

  snapshot(): SimulatorSnapshot {
    const now = this.clock.now();
    return {
      t: now,
      uptimeMs: now - this.startedAt,
      seed: this.seed,
      requestsPerSecond: this.stats.requestsPerSecond(now),
      counters: this.stats.counts(),
      hungRequests: this.faults.hungRequests,
      buckets: { openai: this.openai.snapshot(now), anthropic: this.anthropic.snapshot(now) },
      faults: this.faults.snapshot(),
      congestion: this.congestion.snapshot(now),
      settings: this.settings(),
    };
  }

  dispose(): void {
    this.faults.dispose();
  }
}
