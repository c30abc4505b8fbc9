import { Pool } from 'undici';

export interface ProviderPoolOptions {
  /** Most sockets open to the provider at once; further calls queue in the pool. Default 16. */
  connections?: number;
  /** How long an idle keep-alive socket is kept. Default 30 s (servers may close sooner; undici notices). */
  keepAliveTimeoutMs?: number;
  /** TCP + TLS connect timeout. Default 10 s. */
  connectTimeoutMs?: number;
}

export interface PoolSnapshot {
  origin: string;
  maxConnections: number;
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
  readonly pool: Pool;
  private closed = false;

  constructor(origin: string, options: ProviderPoolOptions = {}) {
    this.origin = origin;
    this.maxConnections = options.connections ?? 16;
    if (!Number.isInteger(this.maxConnections) || this.maxConnections < 1) {
      throw new RangeError(`pool.connections must be a whole number ≥ 1, got ${String(options.connections)}`);
    }
    this.pool = new Pool(origin, {
      connections: this.maxConnections,
      pipelining: 1,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
      keepAliveMaxTimeout: Math.max(options.keepAliveTimeoutMs ?? 30_000, 60_000),
      connect: { timeout: options.connectTimeoutMs ?? 10_000 },
    });
  }

  snapshot(): PoolSnapshot {
    const stats = this.pool.stats;
    return {
      origin: this.origin,
      maxConnections: this.maxConnections,
      connected: stats.connected,
      free: stats.free,
      running: stats.running,
      pending: stats.pending,
    };
  }

  /** Lets running calls finish, then closes the sockets; `destroy` cuts them instead. */
  async close(options: { destroy?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (options.destroy) await this.pool.destroy();
    else await this.pool.close();
  }
}
