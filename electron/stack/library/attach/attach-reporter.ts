import type { AttachHello, AttachReportInput } from '../../../../shared/contract/attach';
import { systemClock, type Clock, type TimerHandle } from '../../clock/clock';
import type { ConnectReporterSocket, ReporterSocket } from './reporter-socket';

export interface AttachReporterOptions {
  /** The BULKHEAD_ATTACH URL, token included. */
  url: string;
  hello: Omit<AttachHello, 'type' | 'protocol'>;
  /** The process's primitives now, as a report without seq/dropped (taken on the timer, never on a caller's path). */
  collect: () => Omit<AttachReportInput, 'type' | 'seq' | 'dropped'>;
  connect: ConnectReporterSocket;
  clock?: Clock;
  /** How often a report is taken (default 500 ms). */
  intervalMs?: number;
  /** Reports kept while they cannot be sent; the oldest is dropped (and counted) past this (default 16). */
  maxBuffered?: number;
  /** Past this many bytes unsent in the socket, reports stay in the buffer instead (default 256 KiB). */
  maxSocketBytes?: number;
  /** Reconnect waits: first, cap (default 250 ms doubling to 10 s), with ±20 % jitter from `random`. */
  backoff?: { initialMs: number; maxMs: number };
  random?: () => number;
  /** Stops the reporter when aborted. */
  signal?: AbortSignal;
  /** Told of state changes (tests, the optional debug log). */
  onState?: (state: ReporterState) => void;
}

export type ReporterState = 'connecting' | 'connected' | 'waiting' | 'stopped';

export interface AttachReporterStats {
  readonly state: ReporterState;
  readonly sent: number;
  readonly dropped: number;
  readonly buffered: number;
  readonly connections: number;
  readonly failedAttempts: number;
  /** The wait before the next reconnect, while waiting. */
  readonly nextRetryMs: number | null;
}

/**
 * Reports this process's primitives to the panel. It never blocks or slows the process: reports are
 * taken on an unref'd timer (no code on a caller's path), kept in a bounded buffer whose overflow drops
 * the oldest and counts it, and sent only while the socket is open and not backed up. A lost connection
 * is retried with exponential back-off and jitter; every (re)connection starts with hello.
 */
export class AttachReporter {
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly maxBuffered: number;
  private readonly maxSocketBytes: number;
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly random: () => number;
  /** Reports waiting to be sent; `dropped` is stamped when each is sent, so the panel sees the latest count. */
  private readonly buffer: Omit<AttachReportInput, 'dropped'>[] = [];
  private socket: ReporterSocket | null = null;
  private state: ReporterState = 'connecting';
  private tickTimer: TimerHandle | null = null;
  private retryTimer: TimerHandle | null = null;
  private seq = 0;
  private sent = 0;
  private dropped = 0;
  private connections = 0;
  private failedAttempts = 0;
  private nextRetryMs: number | null = null;
  private readonly onAbort = (): void => this.stop();

  constructor(private readonly options: AttachReporterOptions) {
    this.clock = options.clock ?? systemClock;
    this.intervalMs = options.intervalMs ?? 500;
    this.maxBuffered = options.maxBuffered ?? 16;
    this.maxSocketBytes = options.maxSocketBytes ?? 256 * 1024;
    this.backoff = options.backoff ?? { initialMs: 250, maxMs: 10_000 };
    this.random = options.random ?? Math.random;
    if (options.signal?.aborted) {
      this.state = 'stopped';
      return;
    }
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.open();
    this.scheduleTick();
  }

  stats(): AttachReporterStats {
    return {
      state: this.state,
      sent: this.sent,
      dropped: this.dropped,
      buffered: this.buffer.length,
      connections: this.connections,
      failedAttempts: this.failedAttempts,
      nextRetryMs: this.nextRetryMs,
    };
  }

  /** Takes one report now (the timer does this every interval). */
  reportNow(): void {
    if (this.state === 'stopped') return;
    let body: Omit<AttachReportInput, 'type' | 'seq' | 'dropped'>;
    try {
      body = this.options.collect();
    } catch {
      return; // a broken snapshot must not break the process; the next tick tries again
    }
    this.enqueue({ type: 'report', seq: this.seq++, ...body });
    this.flush();
  }

  stop(): void {
    if (this.state === 'stopped') return;
    this.setState('stopped');
    this.options.signal?.removeEventListener('abort', this.onAbort);
    if (this.tickTimer) this.clock.clearTimeout(this.tickTimer);
    if (this.retryTimer) this.clock.clearTimeout(this.retryTimer);
    this.tickTimer = this.retryTimer = null;
    const socket = this.socket;
    this.socket = null;
    socket?.close();
  }

  private enqueue(message: Omit<AttachReportInput, 'dropped'>): void {
    this.buffer.push(message);
    while (this.buffer.length > this.maxBuffered) {
      this.buffer.shift();
      this.dropped += 1;
    }
  }

  private flush(): void {
    const socket = this.socket;
    if (this.state !== 'connected' || !socket) return;
    while (this.buffer.length > 0 && socket.bufferedAmount < this.maxSocketBytes) {
      const report = this.buffer.shift() as Omit<AttachReportInput, 'dropped'>;
      socket.send(JSON.stringify({ ...report, dropped: this.dropped }));
      this.sent += 1;
    }
  }

  private scheduleTick(): void {
    this.tickTimer = this.clock.setTimeout(() => {
      this.reportNow();
      if (this.state !== 'stopped') this.scheduleTick();
    }, this.intervalMs);
    this.tickTimer.unref?.();
  }

  private open(): void {
    this.setState('connecting');
    this.nextRetryMs = null;
    let opened = false;
    const socket = this.options.connect(this.options.url, {
      onOpen: () => {
        if (this.socket !== socket) return;
        opened = true;
        this.connections += 1;
        this.failedAttempts = 0;
        this.setState('connected');
        socket.send(JSON.stringify({ type: 'hello', protocol: 1, ...this.options.hello }));
        this.flush();
      },
      onMessage: () => {
        // welcome / refused: nothing to act on — a refusal is followed by a close, which backs off.
      },
      onClose: () => {
        if (this.socket !== socket) return;
        this.socket = null;
        if (this.state === 'stopped') return;
        if (!opened) this.failedAttempts += 1;
        this.scheduleReconnect();
      },
    });
    this.socket = socket;
  }

  private scheduleReconnect(): void {
    // Attempt n waits initial·2^(n-1), capped; a connection that opened and then dropped starts over.
    const exponent = Math.max(0, this.failedAttempts - 1);
    const base = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** Math.min(exponent, 30));
    const wait = Math.round(base * (0.8 + 0.4 * this.random()));
    this.nextRetryMs = wait;
    this.setState('waiting');
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = null;
      if (this.state === 'waiting') this.open();
    }, wait);
    this.retryTimer.unref?.();
  }

  private setState(state: ReporterState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onState?.(state);
  }
}
