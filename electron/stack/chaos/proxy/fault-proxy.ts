import { createServer, type Server, type Socket } from 'node:net';
import { ToxicSchema, type ProxySnapshot, type Toxic, type ToxicInput, type ToxicStream } from '../../../../shared/contract/chaos';
import { systemClock, type Clock } from '../../clock/clock';
import { BulkheadError, describeError } from '../../errors';
import type { DirectionBytes } from './link';
import { ProxyConnection, type CutKind } from './proxy-connection';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export interface FaultProxyOptions {
  readonly name: string;
  readonly upstream: HostPort;
  /** Where to accept; default 127.0.0.1 on any free port. */
  readonly listen?: Partial<HostPort>;
  readonly purpose?: string;
  readonly clock?: Clock;
  /** Uniform [0, 1): toxicity rolls and jitter. Pass a seeded one for repeatable chaos. */
  readonly random?: () => number;
  /** Stops the proxy when aborted. */
  readonly signal?: AbortSignal;
  readonly toxics?: readonly ToxicInput[];
}

const MAX_LISTED_CONNECTIONS = 20;

/**
 * A TCP proxy with Toxiproxy's toxics, for putting faults between the stack and a dependency. Start
 * it with `FaultProxy.start`, point the client at `address`, then add and remove toxics or take it
 * down and up while traffic flows. `stop` closes the listener and every socket it opened.
 */
export class FaultProxy {
  readonly name: string;
  readonly upstream: HostPort;
  readonly purpose: string;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly listenHost: string;
  private listenPort: number;
  private server: Server | null = null;
  private toxicList: Toxic[] = [];
  private readonly connections = new Set<ProxyConnection>();
  private nextConnectionId = 1;
  private stopped = false;
  private lastError: string | null = null;
  private readonly counters = { accepted: 0, upstreamFailures: 0, cutByToxics: 0, cutByDown: 0 };
  private readonly totals: Record<ToxicStream, DirectionBytes> = {
    upstream: { received: 0, forwarded: 0, dropped: 0 },
    downstream: { received: 0, forwarded: 0, dropped: 0 },
  };
  private readonly onAbort = (): void => void this.stop();

  private constructor(private readonly options: FaultProxyOptions) {
    this.name = options.name;
    this.upstream = options.upstream;
    this.purpose = options.purpose ?? '';
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.listenHost = options.listen?.host ?? '127.0.0.1';
    this.listenPort = options.listen?.port ?? 0;
  }

  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const proxy = new FaultProxy(options);
    for (const toxic of options.toxics ?? []) proxy.addToxic(toxic);
    await proxy.listen();
    if (options.signal) {
      if (options.signal.aborted) await proxy.stop();
      else options.signal.addEventListener('abort', proxy.onAbort, { once: true });
    }
    return proxy;
  }

  /** The port clients connect to (stays the same across down/up). */
  get port(): number {
    return this.listenPort;
  }

  get address(): string {
    return `${this.listenHost.includes(':') ? `[${this.listenHost}]` : this.listenHost}:${this.listenPort}`;
  }

  get enabled(): boolean {
    return this.server !== null;
  }

  get openConnections(): number {
    return this.connections.size;
  }

  toxics(): readonly Toxic[] {
    return this.toxicList;
  }

  /** Validates and adds a toxic; it acts on open connections at once. */
  addToxic(input: ToxicInput): Toxic {
    const parsed = ToxicSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'toxic';
      throw new BulkheadError('TOXIC_INVALID', `Invalid toxic: ${field}: ${issue?.message ?? 'invalid'}.`, {
        remedy: 'Types: latency, bandwidth, timeout, reset_peer, slow_close, limit_data, slicer; see `bulkhead chaos proxy --help`.',
      });
    }
    const toxic: Toxic = { ...parsed.data, name: parsed.data.name ?? `${parsed.data.type}_${parsed.data.stream}` };
    if (this.toxicList.some((t) => t.name === toxic.name)) {
      throw new BulkheadError('TOXIC_EXISTS', `Proxy ${this.name} already has a toxic named ${toxic.name}.`, {
        remedy: 'Remove it first, or give the new one another name.',
      });
    }
    this.toxicList = [...this.toxicList, toxic];
    this.syncConnections();
    return toxic;
  }

  removeToxic(name: string): void {
    if (!this.toxicList.some((t) => t.name === name)) {
      throw new BulkheadError('TOXIC_NOT_FOUND', `Proxy ${this.name} has no toxic named ${name}.`, {
        remedy: `Its toxics: ${this.toxicList.map((t) => t.name).join(', ') || 'none'}.`,
      });
    }
    this.toxicList = this.toxicList.filter((t) => t.name !== name);
    this.syncConnections();
  }

  /** Down: refuse new connections (the port is closed) and cut the open ones. Up: listen again. */
  async setEnabled(enabled: boolean): Promise<void> {
    if (this.stopped) throw new BulkheadError('PROXY_STOPPED', `Proxy ${this.name} has been stopped.`);
    if (enabled === this.enabled) return;
    if (enabled) await this.listen();
    else await this.closeListener('down');
  }

  /** Removes every toxic and brings the proxy up, like Toxiproxy's reset. */
  async reset(): Promise<void> {
    this.toxicList = [];
    this.syncConnections();
    if (!this.stopped) await this.setEnabled(true);
  }

  /** Closes the listener and every connection; resolves when all sockets are closed. */
  async stop(): Promise<void> {
    if (this.stopped) return this.closeListener('stop');
    this.stopped = true;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    await this.closeListener('stop');
  }

  snapshot(): ProxySnapshot {
    const now = this.clock.now();
    const open = [...this.connections];
    return {
      name: this.name,
      purpose: this.purpose,
      listen: this.address,
      upstream: `${this.upstream.host}:${this.upstream.port}`,
      enabled: this.enabled,
      connections: { open: open.length, ...this.counters },
      bytes: { upstream: { ...this.totals.upstream }, downstream: { ...this.totals.downstream } },
      toxics: this.toxicList.map((t) => ({ ...t })),
      openConnections: open.slice(-MAX_LISTED_CONNECTIONS).reverse().map((c) => c.info(now)),
      lastError: this.lastError,
    };
  }

  private syncConnections(): void {
    for (const connection of this.connections) connection.syncToxics();
  }

  private async listen(): Promise<void> {
    const server = createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        reject(
          new BulkheadError('PROXY_LISTEN_FAILED', `Fault proxy ${this.name} could not listen on ${this.address}: ${describeError(error)}.`, {
            remedy: error.code === 'EADDRINUSE' ? 'Pick another port (or 0 for any free one), or stop what uses it.' : 'Check the listen address.',
            cause: error,
          }),
        );
      };
      server.once('error', onError);
      server.listen({ host: this.listenHost, port: this.listenPort }, () => {
        server.off('error', onError);
        resolve();
      });
    });
    server.on('error', (error) => {
      this.lastError = describeError(error);
    });
    const address = server.address();
    if (address && typeof address === 'object') this.listenPort = address.port;
    this.server = server;
  }

  private accept(socket: Socket): void {
    if (this.stopped || !this.server) {
      socket.destroy();
      return;
    }
    this.counters.accepted++;
    const connection = new ProxyConnection({
      id: this.nextConnectionId++,
      client: socket,
      upstream: this.upstream,
      clock: this.clock,
      random: this.random,
      toxicsFor: (stream) => this.toxicList.filter((t) => t.stream === stream),
      onBytes: (stream, kind, bytes) => {
        this.totals[stream][kind] += bytes;
      },
      onCut: (kind: CutKind, reason) => {
        if (kind === 'toxic') this.counters.cutByToxics++;
        if (kind === 'down') this.counters.cutByDown++;
        if (kind === 'error') this.lastError = reason;
      },
      onUpstreamFailure: (error) => {
        this.counters.upstreamFailures++;
        this.lastError = `upstream ${this.upstream.host}:${this.upstream.port}: ${describeError(error)}`;
      },
    });
    this.connections.add(connection);
    void connection.done.finally(() => this.connections.delete(connection));
  }

  private async closeListener(kind: 'down' | 'stop'): Promise<void> {
    const server = this.server;
    this.server = null;
    const closing = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    const open = [...this.connections];
    for (const connection of open) connection.destroy(kind, kind === 'down' ? 'proxy down' : 'proxy stopped');
    await Promise.all([closing, ...open.map((c) => c.done)]);
  }
}
