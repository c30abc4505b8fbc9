import type { MetricReading } from '../../../shared/contract/alerts';

/**
 * Where alert rules read their numbers. A feature registers a source once (the pool its waiting count,
 * the concurrency registry one reading per semaphore); the alert engine reads every source on each
 * monitor tick. A source returns plain readings and never throws into the engine.
 */
export interface MetricSource {
  /** For messages when a source fails. */
  readonly id: string;
  read(): readonly MetricReading[];
}

export interface GaugeOptions {
  readonly unit?: string;
  readonly description?: string;
}

export class MetricRegistry {
  private readonly sources = new Map<MetricSource, true>();

  constructor(private readonly onSourceError: (source: string, error: unknown) => void = () => undefined) {}

  /** Adds a source of any number of readings; returns its removal. */
  register(source: MetricSource): () => void {
    this.sources.set(source, true);
    return () => {
      this.sources.delete(source);
    };
  }

  /** One named number; `read` returns null while there is nothing to report (the metric is then absent). */
  gauge(name: string, read: () => number | null, options: GaugeOptions = {}): () => void {
    return this.register({
      id: name,
      read: () => {
        const value = read();
        return value === null || !Number.isFinite(value) ? [] : [{ name, value, unit: options.unit ?? '', description: options.description ?? '' }];
      },
    });
  }

  /** Every current reading, by name (a later source wins a name clash). */
  readAll(): Map<string, MetricReading> {
    const readings = new Map<string, MetricReading>();
    for (const source of this.sources.keys()) {
      try {
        for (const reading of source.read()) {
          if (Number.isFinite(reading.value)) readings.set(reading.name, reading);
        }
      } catch (error) {
        this.onSourceError(source.id, error);
      }
    }
    return readings;
  }
}

/** Makes a name usable as one metric segment: `agent pool/1` → `agent_pool_1`. */
export function metricSegment(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, '_') || '_';
}

/** Whether `name` matches `pattern`, where `*` is exactly one dot-separated segment. */
export function matchesPattern(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  const want = pattern.split('.');
  const have = name.split('.');
  return want.length === have.length && want.every((part, i) => part === '*' || part === have[i]);
}
