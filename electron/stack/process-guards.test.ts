import { describe, expect, it } from 'vitest';
import { MetricRegistry } from './monitor/metric-registry';
import { createLogger } from './log/logger';
import { guardUnhandledRejections } from './process-guards';

describe('guardUnhandledRejections', () => {
  it('logs, counts and survives a rejection nobody handled, with secrets masked', async () => {
    const lines: string[] = [];
    const metrics = new MetricRegistry();
    const remove = guardUnhandledRejections(createLogger({ write: (line) => lines.push(line) }), metrics);
    try {
      void Promise.reject(new Error('connect postgres://app:hunter2@db:5432/rag failed'));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(metrics.readAll().get('process.unhandledRejections')?.value).toBe(1);
      expect(lines.join('\n')).toContain('unhandled promise rejection #1');
      expect(lines.join('\n')).not.toContain('hunter2');
    } finally {
      remove();
    }
    expect(metrics.readAll().has('process.unhandledRejections')).toBe(false);
  });
});
