import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import type { RuntimeSample } from '../../../shared/contract';
import type { Clock } from '../clock/clock';

const NS_PER_MS = 1e6;
const BYTES_PER_MB = 1024 * 1024;

/**
 * Reads the Node runtime: event-loop delay percentiles over the interval since the last read (the
 * histogram is reset each time, so a stall shows in the sample that contains it and then clears),
 * event-loop utilisation, memory, CPU and active handles.
 */
export class RuntimeSampler {
  private readonly delay: IntervalHistogram;
  private lastElu: EventLoopUtilization;
  private lastCpu: NodeJS.CpuUsage;
  private lastWallMs: number;

  private readonly resolutionNs: number;

  constructor(private readonly clock: Clock, resolutionMs = 10) {
    this.resolutionNs = resolutionMs * NS_PER_MS;
    this.delay = monitorEventLoopDelay({ resolution: resolutionMs });
    this.delay.enable();
    this.lastElu = performance.eventLoopUtilization();
    this.lastCpu = process.cpuUsage();
    this.lastWallMs = clock.now();
  }

  sample(): RuntimeSample {
    const now = this.clock.now();
    const elu = performance.eventLoopUtilization(this.lastElu);
    this.lastElu = performance.eventLoopUtilization();
    const cpu = process.cpuUsage(this.lastCpu);
    this.lastCpu = process.cpuUsage();
    const wallMs = Math.max(1, now - this.lastWallMs);
    this.lastWallMs = now;
    const memory = process.memoryUsage();

    const hasDelay = this.delay.count > 0;
    const sample: RuntimeSample = {
      t: now,
      eventLoopDelayMs: {
        p50: hasDelay ? this.toDelayMs(this.delay.percentile(50)) : 0,
        p99: hasDelay ? this.toDelayMs(this.delay.percentile(99)) : 0,
        max: hasDelay ? this.toDelayMs(this.delay.max) : 0,
      },
      eventLoopUtilization: round(Math.min(1, Math.max(0, elu.utilization)), 4),
      heapUsedMb: round(memory.heapUsed / BYTES_PER_MB),
      heapTotalMb: round(memory.heapTotal / BYTES_PER_MB),
      rssMb: round(memory.rss / BYTES_PER_MB),
      cpuPercent: round(((cpu.user + cpu.system) / 1000 / wallMs) * 100, 1),
      activeHandles: process.getActiveResourcesInfo().length,
    };
    this.delay.reset();
    return sample;
  }

  /**
   * The histogram records the time between its timer's callbacks, which includes the timer's own
   * interval; the delay is what comes on top of it.
   */
  private toDelayMs(intervalNs: number): number {
    return round(Math.max(0, intervalNs - this.resolutionNs) / NS_PER_MS);
  }

  dispose(): void {
    this.delay.disable();
  }
}

function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
