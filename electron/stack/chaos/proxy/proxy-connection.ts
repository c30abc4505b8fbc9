import { connect, type Socket } from 'node:net';
import type { ProxyConnectionInfo, Toxic, ToxicStream } from '../../../../shared/contract/chaos';
import type { Clock, TimerHandle } from '../../clock/clock';
import { describeError } from '../../errors';
import { Link, type DirectionBytes } from './link';

/** After a graceful close, a peer that does not close its side within this is cut. */
const CLOSE_GRACE_MS = 5000;

export type CutKind = 'toxic' | 'down' | 'stop' | 'error';

export interface ProxyConnectionOptions {
  readonly id: number;
  readonly client: Socket;
  readonly upstream: { readonly host: string; readonly port: number };
  readonly clock: Clock;
  readonly random: () => number;
  readonly toxicsFor: (stream: ToxicStream) => readonly Toxic[];
  readonly onBytes: (stream: ToxicStream, kind: keyof DirectionBytes, bytes: number) => void;
  readonly onCut: (kind: CutKind, reason: string) => void;
  readonly onUpstreamFailure: (error: unknown) => void;
}

/**
 * One client connection through the proxy: the client socket, its own socket to the upstream, and a
 * Link each way. It ends in one of three ways: both sides close normally, a toxic closes or resets
 * it, or the proxy cuts it (down, stop). Every path clears its timers and destroys both sockets.
 */
export class ProxyConnection {
  readonly openedAt: number;
  readonly up: Link;
  readonly down: Link;
  /** Settles when both sockets have closed and both pumps have stopped. */
  readonly done: Promise<void>;
  private readonly upstream: Socket;
  private readonly controller = new AbortController();
  private graceTimer: TimerHandle | null = null;
  private cut = false;

  constructor(private readonly options: ProxyConnectionOptions) {
    const { client, clock } = options;
    this.openedAt = clock.now();
    client.setNoDelay(true);
    const upstream = connect({ host: options.upstream.host, port: options.upstream.port, allowHalfOpen: true, noDelay: true });
    this.upstream = upstream;
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
    });
    client.on('error', (error) => this.destroy('error', `client: ${describeError(error)}`));
    upstream.on('error', (error) => {
      if (!connected) options.onUpstreamFailure(error);
      this.destroy('error', `upstream: ${describeError(error)}`);
    });

    const linkOptions = {
      clock,
      random: options.random,
      signal: this.controller.signal,
      close: (reason: string) => this.close('toxic', reason),
      reset: (reason: string) => this.reset(reason),
    };
    this.up = new Link({ ...linkOptions, stream: 'upstream', source: client, dest: upstream, onBytes: (k, n) => options.onBytes('upstream', k, n) });
    this.down = new Link({ ...linkOptions, stream: 'downstream', source: upstream, dest: client, onBytes: (k, n) => options.onBytes('downstream', k, n) });
    this.syncToxics();

    const closed = (socket: Socket): Promise<void> =>
      new Promise((resolve) => (socket.destroyed && socket.closed ? resolve() : socket.once('close', () => resolve())));
    const onOneClosed = (other: Socket) => () => {
      // The other side normally follows within a round trip; a peer that never closes is cut.
      if (!other.closed && !this.graceTimer) this.graceTimer = clock.setTimeout(() => this.destroy('error', 'peer did not close'), CLOSE_GRACE_MS);
    };
    client.once('close', onOneClosed(upstream));
    upstream.once('close', onOneClosed(client));
    this.done = Promise.all([
      this.up.run().catch((error: unknown) => this.destroy('error', describeError(error))),
      this.down.run().catch((error: unknown) => this.destroy('error', describeError(error))),
      closed(client),
      closed(upstream),
    ]).then(() => this.finish());
  }

  get clientAddress(): string {
    const { remoteAddress, remotePort } = this.options.client;
    return remoteAddress ? `${remoteAddress}:${remotePort ?? ''}` : 'unknown';
  }

  /** Re-reads the proxy's toxics: new ones start acting, removed ones stop (and clean up). */
  syncToxics(): void {
    this.up.sync(this.options.toxicsFor('upstream'));
    this.down.sync(this.options.toxicsFor('downstream'));
  }

  info(now: number): ProxyConnectionInfo {
    return {
      id: this.options.id,
      client: this.clientAddress,
      ageMs: Math.max(0, now - this.openedAt),
      bytesUpstream: this.up.bytes.forwarded,
      bytesDownstream: this.down.bytes.forwarded,
      toxics: [...this.up.applyingToxics, ...this.down.applyingToxics],
    };
  }

  /** FIN both ways after what was written so far; used by timeout and limit_data. */
  close(kind: CutKind, reason: string): void {
    if (!this.markCut(kind, reason)) return;
    this.controller.abort();
    for (const socket of [this.options.client, this.upstream]) {
      if (!socket.destroyed) socket.end();
    }
    this.graceTimer ??= this.options.clock.setTimeout(() => this.destroy('error', 'peer did not close'), CLOSE_GRACE_MS);
  }

  /** TCP reset both ways (SO_LINGER 0), as reset_peer does. */
  reset(reason: string): void {
    if (!this.markCut('toxic', reason)) return;
    this.controller.abort();
    for (const socket of [this.options.client, this.upstream]) {
      try {
        socket.resetAndDestroy();
      } catch {
        socket.destroy(); // not connected yet: nothing to reset
      }
    }
  }

  /** Cuts both sockets at once (proxy down, proxy stopping, or an error on either side). */
  destroy(kind: CutKind, reason: string): void {
    this.markCut(kind, reason);
    this.controller.abort();
    this.options.client.destroy();
    this.upstream.destroy();
  }

  private markCut(kind: CutKind, reason: string): boolean {
    if (this.cut) return false;
    this.cut = true;
    this.options.onCut(kind, reason);
    return true;
  }

  private finish(): void {
    if (this.graceTimer) this.options.clock.clearTimeout(this.graceTimer);
    this.graceTimer = null;
    this.controller.abort();
    this.up.dispose();
    this.down.dispose();
  }
}
