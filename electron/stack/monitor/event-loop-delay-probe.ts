import { createHistogram, performance, type RecordableHistogram } from 'node:perf_hooks';

export interface DelayReading {
  p50: number;
  p99: number;
  max: number;
}

/**
 * Event-loop delay, measured the way monitorEventLoopDelay does — a timer every `resolutionMs` records
 * how late it fired — but with our own timer, so reading and resetting between samples never loses a
 * measurement: the time of the last callback survives the reset, and a stall that starts just after a
 * sample is recorded in the next one. (Node's interval histogram restarts its timing on reset, which
 * drops a stall that begins within one resolution of a sample.)
 */
export class EventLoopDelayProbe {
  private readonly histogram: RecordableHistogram = createHistogram();
  private readonly timer: ReturnType<typeof setInterval>;
  private last = performance.now();

  constructor(private readonly resolutionMs = 10) {
    this.timer = setInterval(() => this.onTick(), resolutionMs);
    this.timer.unref();
  }

  /** Percentiles of the delays since the previous read, in ms; then starts a new interval. */
  read(): DelayReading {
    // A tick that is due but has not run yet (the loop is busy right now) counts as delay already.
    // (The probe's own tick then measures from now, so the same delay is not counted twice.)
    const now = performance.now();
    const pending = now - this.last - this.resolutionMs;
    if (pending > this.resolutionMs) {
      this.record(pending);
      this.last = now - this.resolutionMs;
    }
    const reading =
      this.histogram.count === 0
        ? { p50: 0, p99: 0, max: 0 }
        : { p50: toMs(this.histogram.percentile(50)), p99: toMs(this.histogram.percentile(99)), max: toMs(this.histogram.max) };
    this.histogram.reset();
    return reading;
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  private onTick(): void {
    const now = performance.now();
    this.record(now - this.last - this.resolutionMs);
    this.last = now;
  }

  private record(delayMs: number): void {
    // The histogram takes integers ≥ 1: microseconds, with "on time" stored as 1 µs.
    this.histogram.record(Math.max(1, Math.round(delayMs * 1000)));
  }
}

function toMs(microseconds: number): number {
  return microseconds <= 1 ? 0 : Math.round(microseconds / 10) / 100;
}
