import type { MetricReading, } from '../../../shared/contract/alerts';
import type { RuntimeSample } from '../../../shared/contract';
import type { MetricSource } from '../monitor/metric-registry';

/** The Node runtime as metrics, from the monitor's latest sample. */
export function runtimeMetricSource(latest: () => RuntimeSample | null): MetricSource {
  return {
    id: 'runtime',
    read(): MetricReading[] {
      const sample = latest();
      if (!sample) return [];
      return [
        { name: 'runtime.eventLoopP99Ms', value: sample.eventLoopDelayMs.p99, unit: 'ms', description: 'event-loop delay p99 over the last sampling interval' },
        { name: 'runtime.eventLoopMaxMs', value: sample.eventLoopDelayMs.max, unit: 'ms', description: 'longest event-loop delay in the last sampling interval' },
        { name: 'runtime.eventLoopUtilization', value: sample.eventLoopUtilization * 100, unit: '%', description: 'share of time the event loop was busy' },
        { name: 'runtime.heapUsedMb', value: sample.heapUsedMb, unit: 'MB', description: 'V8 heap in use' },
        { name: 'runtime.rssMb', value: sample.rssMb, unit: 'MB', description: 'resident memory of the process' },
        { name: 'runtime.cpuPercent', value: sample.cpuPercent, unit: '%', description: 'process CPU; 100 = one core' },
        { name: 'runtime.activeHandles', value: sample.activeHandles, unit: '', description: 'sockets, timers and servers keeping the loop alive' },
      ];
    },
  };
}
