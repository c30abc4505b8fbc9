import pg from 'pg';
import type { ServerActivity } from '../../../../shared/contract/pool';
import type { Clock, TimerHandle } from '../../clock/clock';
import { classifyPgError } from '../pg-error';

export interface ServerActivityOptions {
  config: pg.ClientConfig;
  /** The application_name whose sessions are counted (the pool's). */
  applicationName: string;
  clock: Clock;
  /** Between samples; pg_stat_activity is not free, so not every 250 ms monitor tick. */
  intervalMs?: number;
  /** One sample may take at most this long. */
  timeoutMs?: number;
  onSample?: (sample: ServerActivity) => void;
}

const ACTIVITY_SQL = `
  SELECT
    count(*) FILTER (WHERE application_name = $1 AND state = 'active')::int AS active,
    count(*) FILTER (WHERE application_name = $1 AND state = 'idle')::int AS idle,
    count(*) FILTER (WHERE application_name = $1 AND state LIKE 'idle in transaction%')::int AS idle_in_transaction,
    count(*) FILTER (WHERE application_name = $1 AND (state IS NULL OR state NOT IN ('active', 'idle') AND state NOT LIKE 'idle in transaction%'))::int AS other,
    count(*) FILTER (WHERE backend_type = 'client backend')::int AS all_connections,
    current_setting('max_connections')::int AS max_connections
  FROM pg_stat_activity`;

interface ActivityRow {
  active: number;
  idle: number;
  idle_in_transaction: number;
  other: number;
  all_connections: number;
  max_connections: number;
}

/**
 * The server's own count of our sessions by state, from pg_stat_activity, on a dedicated connection
 * named `<app>-monitor` (so it neither takes a pool slot nor counts itself). A failed sample is kept as
 * `ok: false` with the reason; the connection is reopened on the next one.
 */
export class ServerActivitySampler {
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private client: pg.Client | null = null;
  private timer: TimerHandle | null = null;
  private latestSample: ServerActivity | null = null;
  private running = false;
  private inFlight: Promise<ServerActivity> | null = null;

  constructor(private readonly options: ServerActivityOptions) {
    this.intervalMs = options.intervalMs ?? 2000;
    this.timeoutMs = options.timeoutMs ?? 1500;
  }

  get latest(): ServerActivity | null {
    return this.latestSample;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight?.catch(() => undefined);
    await this.dropClient();
  }

  /** Takes one sample now (the loop calls this; tests may too). */
  sample(): Promise<ServerActivity> {
    this.inFlight ??= this.takeSample().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async loop(): Promise<void> {
    if (!this.running) return;
    await this.sample();
    if (!this.running) return;
    this.timer = this.options.clock.setTimeout(() => void this.loop(), this.intervalMs);
    this.timer.unref?.();
  }

  private async takeSample(): Promise<ServerActivity> {
    const at = this.options.clock.now();
    let sample: ServerActivity;
    try {
      const client = await this.connectedClient();
      const result = await client.query<ActivityRow>({ text: ACTIVITY_SQL, values: [this.options.applicationName], query_timeout: this.timeoutMs } as pg.QueryConfig);
      const row = result.rows[0]!;
      const byState = { active: row.active, idle: row.idle, idleInTransaction: row.idle_in_transaction, other: row.other };
      sample = {
        at,
        ok: true,
        applicationName: this.options.applicationName,
        byState,
        ours: byState.active + byState.idle + byState.idleInTransaction + byState.other,
        allConnections: row.all_connections,
        maxConnections: row.max_connections,
      };
    } catch (error) {
      await this.dropClient();
      const info = classifyPgError(error);
      const previous = this.latestSample;
      sample = {
        at,
        ok: false,
        error: `${info.code}: ${info.message || 'no answer'}`,
        applicationName: this.options.applicationName,
        byState: { active: 0, idle: 0, idleInTransaction: 0, other: 0 },
        ours: 0,
        allConnections: 0,
        maxConnections: previous?.maxConnections ?? 0,
      };
    }
    this.latestSample = sample;
    this.options.onSample?.(sample);
    return sample;
  }

  private async connectedClient(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({
      ...this.options.config,
      application_name: `${this.options.applicationName}-monitor`,
      connectionTimeoutMillis: this.timeoutMs,
      // Only where the pool sends one too: a PgBouncer in transaction pooling refuses it at login.
      ...(this.options.config.statement_timeout !== undefined ? { statement_timeout: this.timeoutMs } : {}),
    });
    client.on('error', () => void this.dropClient());
    this.client = client;
    try {
      await client.connect();
    } catch (error) {
      this.client = null;
      await client.end().catch(() => undefined);
      throw error;
    }
    return client;
  }

  private async dropClient(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
