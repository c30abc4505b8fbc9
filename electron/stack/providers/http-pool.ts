import { Pool, ProxyAgent, type Dispatcher } from 'undici';
import { DIRECT, type ProxyRoute } from './proxy-env';

export interface ProviderPoolOptions {
  /** Most sockets open to the provider at once; further calls queue in the pool. Default 16. */
  connections?: number;
  /** How long an idle keep-alive socket is kept. Default 30 s (servers may close sooner; undici notices). */
  keepAliveTimeoutMs?: number;
  /** TCP + TLS connect timeout. Default 10 s. */
  connectTimeoutMs?: number;
  /**
   * Through which proxy, if any (proxyRouteFor: HTTPS_PROXY / HTTP_PROXY / NO_PROXY). Default direct.
   * Through a proxy every connection is a CONNECT tunnel to the origin, so TLS still ends at the provider.
   */
  proxy?: ProxyRoute;
}

export interface PoolSnapshot {
  origin: string;
  maxConnections: number;
  /** The proxy connections go through (credentials masked), or null when direct. */
  proxy: string | null;
  /** Open sockets. */
  connected: number;
  /** Open sockets with no request on them. */
  free: number;
  /** Requests being sent or answered. */
  running: number;
  /** Requests waiting for a socket. */
  pending: number;
}

/**
 * The bounded keep-alive connection pool to one provider origin (undici Pool with a `connections`
 * cap). Every call of a client goes through it, so connections to the provider never exceed the cap
 * however many agents call at once.
 */
export class ProviderHttpPool {
  readonly origin: string;
  readonly maxConnections: number;
  readonly proxy: ProxyRoute;
  /** What requests are dispatched on: the pool itself, or the proxy agent that owns it. */
  private readonly dispatcher: Dispatcher;
  /** The pool of (tunnelled) sockets to the origin; through a proxy it exists from the first request. */
  private pool: Pool | null = null;
  private closed = false;

  constructor(origin: string, options: ProviderPoolOptions = {}) {
    this.origin = origin;
    this.maxConnections = options.connections ?? 16;
    this.proxy = options.proxy ?? DIRECT;
    if (!Number.isInteger(this.maxConnections) || this.maxConnections < 1) {
      throw new RangeError(`pool.connections must be a whole number ≥ 1, got ${String(options.connections)}`);
    }
    const poolOptions = {
      connections: this.maxConnections,
      pipelining: 1,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
      keepAliveMaxTimeout: Math.max(options.keepAliveTimeoutMs ?? 30_000, 60_000),
      connect: { timeout: options.connectTimeoutMs ?? 10_000 },
    };
    if (this.proxy.proxyUrl === null) {
      this.pool = new Pool(origin, poolOptions);
      this.dispatcher = this.pool;
    } else {
      // ProxyAgent builds the per-origin pool through this factory (with its tunnelling connect), so the
      // connection cap and the snapshot hold through the proxy too.
      this.dispatcher = new ProxyAgent({
        ...poolOptions,
        uri: this.proxy.proxyUrl,
        factory: (poolOrigin: string | URL, factoryOptions: object) => (this.pool = new Pool(poolOrigin, factoryOptions)),
      });
    }
  }

  /** One request to this pool's origin (never another: the origin is fixed here, not taken from the caller). */
  request(options: Omit<Dispatcher.RequestOptions, 'origin'>): Promise<Dispatcher.ResponseData> {
    return this.dispatcher.request({ ...options, origin: this.origin });
  }

  snapshot(): PoolSnapshot {
    const stats = this.pool?.stats;
    return {
      origin: this.origin,
      maxConnections: this.maxConnections,
      proxy: this.proxy.display,
      connected: stats?.connected ?? 0,
      free: stats?.free ?? 0,
      running: stats?.running ?? 0,
      pending: stats?.pending ?? 0,
    };
  }

  /** Lets running calls finish, then closes the sockets; `destroy` cuts them instead. */
  async close(options: { destroy?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (options.destroy) await this.dispatcher.destroy();
    else await this.dispatcher.close();
  }
}
