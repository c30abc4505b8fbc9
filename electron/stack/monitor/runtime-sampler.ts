import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { RuntimeSample } from '../../../shared/contract';
import type { Clock } from '../clock/clock';
import { EventLoopDelayProbe } from './event-loop-delay-probe';

const BYTES_PER_MB = 1024 * 1024;

/**
 * Reads the Node runtime: event-loop delay percentiles over the interval since the last read (the
 * histogram is reset each time, so a stall shows in the sample that contains it and then clears),
 * event-loop utilisation, memory, CPU and active handles.
 */
export class RuntimeSampler {
  private readonly delay: EventLoopDelayProbe;
  private lastElu: EventLoopUtilization;
  private lastCpu: NodeJS.CpuUsage;
  private lastWallMs: number;

  constructor(private readonly clock: Clock, resolutionMs = 10) {
    this.delay = new EventLoopDelayProbe(resolutionMs);
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

    const sample: RuntimeSample = {
      t: now,
      eventLoopDelayMs: this.delay.read(),
      eventLoopUtilization: round(Math.min(1, Math.max(0, elu.utilization)), 4),
      heapUsedMb: round(memory.heapUsed / BYTES_PER_MB),
      heapTotalMb: round(memory.heapTotal / BYTES_PER_MB),
      rssMb: round(memory.rss / BYTES_PER_MB),
      cpuPercent: round(((cpu.user + cpu.system) / 1000 / wallMs) * 100, 1),
      activeHandles: process.getActiveResourcesInfo().length,
    };
    return sample;
  }

  dispose(): void {
    this.delay.dispose();
  }
}

function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
