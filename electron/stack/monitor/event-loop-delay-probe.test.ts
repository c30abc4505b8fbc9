import { afterEach, describe, expect, it } from 'vitest';
import { EventLoopDelayProbe } from './event-loop-delay-probe';

/** Blocks the event loop, as a synchronous JSON.parse of a huge body or a tight loop would. */
function stall(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}
const nextTimers = () => new Promise((resolve) => setTimeout(resolve, 30));

let probe: EventLoopDelayProbe | undefined;
afterEach(() => probe?.dispose());

describe('EventLoopDelayProbe', () => {
  it('sees a stall that starts right after a read, in the next read', async () => {
    probe = new EventLoopDelayProbe(10);
    await nextTimers();
    probe.read();
    stall(150);
    await nextTimers();
    const reading = probe.read();
    expect(reading.max).toBeGreaterThanOrEqual(120);
  });

  it('counts a stall once, not in two reads', async () => {
    probe = new EventLoopDelayProbe(10);
    await nextTimers();
    probe.read();
    stall(150);
    const during = probe.read(); // read while the probe's own tick is still overdue
    await nextTimers();
    const after = probe.read();
    expect(during.max).toBeGreaterThanOrEqual(120);
    expect(after.max).toBeLessThan(120);
  });

  it('reads zero-ish delay on an idle loop and empties between reads', async () => {
    probe = new EventLoopDelayProbe(10);
    await nextTimers();
    probe.read();
    expect(probe.read()).toEqual({ p50: 0, p99: 0, max: 0 });
  });
});
