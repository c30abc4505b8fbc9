import type { MetricRegistry } from './monitor/metric-registry';
import type { Logger } from './log/logger';

/**
 * A long-running Bulkhead (the desktop app, `bulkhead serve`) must not die because some promise
 * somewhere was rejected without a handler: Node's default turns that into a crash of the whole stack,
 * panel included. The rejection is logged with its cause chain (secrets redacted), counted, and exposed
 * as the `process.unhandledRejections` metric so an alert rule can watch it. Returns the removal.
 */
export function guardUnhandledRejections(log: Logger, metrics: MetricRegistry): () => void {
  let count = 0;
  const onRejection = (reason: unknown): void => {
    count += 1;
    log.error(`unhandled promise rejection #${count} (the stack keeps running; this is a bug worth reporting)`, reason);
  };
  process.on('unhandledRejection', onRejection);
  const removeGauge = metrics.gauge('process.unhandledRejections', () => count, {
    unit: 'count',
    description: 'promise rejections nothing handled since start (each is logged with its cause)',
  });
  return () => {
    process.off('unhandledRejection', onRejection);
    removeGauge();
  };
}
