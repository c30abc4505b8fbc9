import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/manual-clock';
import { AttachReporter, type AttachReporterOptions } from './attach-reporter';
import type { ReporterSocket, ReporterSocketEvents } from './reporter-socket';

/** A socket the test opens, closes and backs up by hand; it records what was sent. */
class FakeSocket implements ReporterSocket {
  readonly sent: string[] = [];
  bufferedAmount = 0;
  closed = false;
  constructor(readonly events: ReporterSocketEvents) {}
  send(text: string): void {
    this.sent.push(text);
  }
  close(): void {
    this.closed = true;
    this.events.onClose();
  }
}

function setUp(over: Partial<AttachReporterOptions> = {}) {
  const clock = new ManualClock();
  const sockets: FakeSocket[] = [];
  const connectedAt: number[] = [];
  const reporter = new AttachReporter({
    url: 'ws://127.0.0.1:1/attach?token=t',
    hello: { instanceId: 'instance-1', name: 'agent', pid: 1, host: 'h', startedAt: 0, language: 'node' },
    collect: () => ({ t: clock.now(), semaphores: [{ name: 's', permits: 2, inUse: 1 }] }),
    connect: (_url, events) => {
      const socket = new FakeSocket(events);
      sockets.push(socket);
      connectedAt.push(clock.now());
      return socket;
    },
    clock,
    intervalMs: 500,
    maxBuffered: 4,
    random: () => 0.5, // no jitter: waits are exactly the base
    ...over,
  });
  const latest = (): FakeSocket => sockets[sockets.length - 1] as FakeSocket;
  return { clock, reporter, sockets, connectedAt, latest };
}

const types = (socket: FakeSocket): string[] => socket.sent.map((text) => (JSON.parse(text) as { type: string }).type);

describe('AttachReporter', () => {
  it('says hello first on every connection, then sends one report per interval', () => {
    const { clock, reporter, latest } = setUp();
    latest().events.onOpen();
    clock.advance(1500);
    expect(types(latest())).toEqual(['hello', 'report', 'report', 'report']);
    expect(reporter.stats()).toMatchObject({ state: 'connected', sent: 3, dropped: 0, connections: 1 });
    reporter.stop();
  });

  it('keeps at most maxBuffered reports while it cannot send, drops the oldest and counts them', () => {
    const { clock, reporter, latest } = setUp();
    clock.advance(500 * 10); // never opened: 10 reports taken, 4 kept
    expect(reporter.stats()).toMatchObject({ buffered: 4, dropped: 6, sent: 0 });
    latest().events.onOpen();
    const reports = latest().sent.slice(1).map((text) => JSON.parse(text) as { seq: number; dropped: number });
    expect(reports.map((r) => r.seq)).toEqual([6, 7, 8, 9]); // the newest survive
    expect(reports[3]?.dropped).toBe(6); // the panel learns how many were lost
    reporter.stop();
  });

  it('holds reports back while the socket is backed up instead of piling bytes into it', () => {
    const { clock, reporter, latest } = setUp({ maxSocketBytes: 1000 });
    latest().events.onOpen();
    latest().bufferedAmount = 5000;
    clock.advance(500 * 6);
    expect(types(latest())).toEqual(['hello']);
    expect(reporter.stats()).toMatchObject({ buffered: 4, dropped: 2 });
    reporter.stop();
  });

  it('reconnects with exponential back-off under the manual clock, capped, and starts over after a connection', () => {
    const { clock, reporter, latest, connectedAt } = setUp({ backoff: { initialMs: 250, maxMs: 2000 } });
    const start = clock.now();
    for (let i = 0; i < 6; i++) {
      latest().events.onClose(); // refused: never opened
      clock.advance(reporter.stats().nextRetryMs ?? 0);
    }
    expect(connectedAt.map((t) => t - start)).toEqual([0, 250, 750, 1750, 3750, 5750, 7750]);
    latest().events.onOpen();
    expect(reporter.stats()).toMatchObject({ state: 'connected', failedAttempts: 0 });
    latest().events.onClose(); // dropped after it was up: the first wait again
    expect(reporter.stats().nextRetryMs).toBe(250);
    reporter.stop();
  });

  it('jitters the waits ±20 %', () => {
    const low = setUp({ random: () => 0 });
    low.latest().events.onClose();
    expect(low.reporter.stats().nextRetryMs).toBe(200);
    low.reporter.stop();
    const high = setUp({ random: () => 1 });
    high.latest().events.onClose();
    expect(high.reporter.stats().nextRetryMs).toBe(300);
    high.reporter.stop();
  });

  it('survives a snapshot that throws, and stops on abort with nothing left scheduled', () => {
    const controller = new AbortController();
    let fail = true;
    const { clock, reporter, latest } = setUp({
      signal: controller.signal,
      collect: () => {
        if (fail) throw new Error('broken primitive');
        return { t: 0 };
      },
    });
    latest().events.onOpen();
    clock.advance(500);
    fail = false;
    clock.advance(500);
    expect(types(latest())).toEqual(['hello', 'report']);
    controller.abort();
    expect(reporter.stats().state).toBe('stopped');
    expect(latest().closed).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });
});
