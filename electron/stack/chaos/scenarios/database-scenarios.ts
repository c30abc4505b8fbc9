import pg from 'pg';
import type { ReadyDatabase } from '../../db/rag-database';
import { BulkheadError } from '../../errors';
import type { FaultProxy } from '../proxy/fault-proxy';
import { probeDatabase } from './probes';
import type { PreparedFault, ScenarioContext, ScenarioDefinition } from './scenario';

function requireDatabase(context: ScenarioContext, scenario: string): ReadyDatabase {
  if (!context.database) {
    throw new BulkheadError('CHAOS_NEEDS_DATABASE', `The ${scenario} scenario needs the RAG database, and this run has none.`, {
      remedy: 'Use a profile whose mix reads the database (rag-answer, ingest), with the database ready.',
    });
  }
  return context.database;
}

/** The pool itself answers: what "the pool is healthy again" means when the run uses the stack's pool. */
async function probePool(database: ReadyDatabase, signal: AbortSignal): Promise<void> {
  await database.pool.query('chaos.probe', 'SELECT 1', [], { signal: AbortSignal.any([signal, AbortSignal.timeout(3000)]) });
}

/** A fault proxy in front of the database for this scenario; the run's workload connects through it. */
async function databaseProxy(context: ScenarioContext, database: ReadyDatabase, scenario: string): Promise<{ proxy: FaultProxy; endpoint: { host: string; port: number } }> {
  const { host, port } = database.target.settings;
  const proxy = await context.proxies.create({ name: `chaos-${scenario}`, upstream: { host, port }, purpose: `RAG database (${scenario} scenario)` });
  return { proxy, endpoint: { host: '127.0.0.1', port: proxy.port } };
}

export const partitionScenario: ScenarioDefinition = {
  name: 'partition',
  title: 'Network partition',
  description: 'Takes the fault proxy between the stack and PostgreSQL down: new connections are refused and open ones cut, for the fault duration.',
  recovery: 'Within the bound after the proxy is back up, the database answers through it again and the run completes requests without errors; no client leaked, the server holds no more of our sessions than the pool allows.',
  needs: ['database'],
  defaults: { startAfterS: 20, faultS: 8, recoveryBoundS: 10 },
  async prepare(context) {
    const database = requireDatabase(context, 'partition');
    const { proxy, endpoint } = await databaseProxy(context, database, 'partition');
    return {
      databaseEndpoint: endpoint,
      inject: async () => {
        const open = proxy.openConnections;
        await proxy.setEnabled(false);
        return `proxy ${proxy.name} down: new connections refused, ${open} open connection(s) cut`;
      },
      heal: async () => {
        await proxy.setEnabled(true);
        return `proxy ${proxy.name} up again on ${proxy.address}`;
      },
      probe: (signal) => probeDatabase(database, endpoint, signal),
      dispose: async () => {
        await context.proxies.delete(proxy.name);
      },
    };
  },
};

export const latencySpikeScenario: ScenarioDefinition = {
  name: 'latency-spike',
  title: 'Database latency spike',
  description: 'Adds 300 ms ± 50 ms to every reply from PostgreSQL (a latency toxic on the fault proxy) for the fault duration.',
  recovery: 'Within the bound after the toxic is removed, a round trip to the database is back under 3× its pre-fault time (at least 50 ms), and requests complete without errors.',
  needs: ['database'],
  defaults: { startAfterS: 20, faultS: 10, recoveryBoundS: 10 },
  async prepare(context) {
    const database = requireDatabase(context, 'latency-spike');
    const { proxy, endpoint } = await databaseProxy(context, database, 'latency-spike');
    const baseline = await timedProbe(database, endpoint, context.signal);
    const limitMs = Math.max(50, baseline * 3);
    return {
      databaseEndpoint: endpoint,
      inject: async () => {
        proxy.addToxic({ name: 'chaos-latency', type: 'latency', stream: 'downstream', attributes: { latency: 300, jitter: 50 } });
        return `latency 300 ± 50 ms on every reply through ${proxy.name} (round trip before: ${baseline.toFixed(1)} ms)`;
      },
      heal: async () => {
        proxy.removeToxic('chaos-latency');
        return 'latency toxic removed';
      },
      probe: async (signal) => {
        const ms = await timedProbe(database, endpoint, signal);
        if (ms > limitMs) throw new BulkheadError('CHAOS_PROBE_SLOW', `round trip ${ms.toFixed(0)} ms, over ${limitMs.toFixed(0)} ms`);
      },
      dispose: async () => {
        await context.proxies.delete(proxy.name);
      },
    };
  },
};

async function timedProbe(database: ReadyDatabase, endpoint: { host: string; port: number }, signal: AbortSignal): Promise<number> {
  // Connect first, then time one query: the spike is on the round trip, not on the handshake.
  const client = new pg.Client({ ...database.clientConfig(), ...endpoint, connectionTimeoutMillis: 3000, application_name: 'bulkhead-chaos-probe' });
  client.on('error', () => undefined);
  const onAbort = (): void => void client.end().catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await client.connect();
    const started = performance.now();
    await client.query('SELECT 1');
    return performance.now() - started;
  } finally {
    signal.removeEventListener('abort', onAbort);
    await client.end().catch(() => undefined);
  }
}

export const dbTerminateScenario: ScenarioDefinition = {
  name: 'db-terminate',
  title: 'Backends terminated',
  description: "Kills every server session of the stack's pool with pg_terminate_backend (what an admin, a failover or a connection reaper does), at the fault's start.",
  recovery: 'Within the bound, the pool hands out working clients again (broken ones were thrown away, not reused), requests complete without errors, and no client leaked.',
  needs: ['database'],
  defaults: { startAfterS: 20, faultS: 0, recoveryBoundS: 10 },
  async prepare(context) {
    const database = requireDatabase(context, 'db-terminate');
    const applicationName = database.pool.settings.applicationName;
    return {
      inject: async () => {
        const admin = new pg.Client({ ...database.clientConfig(), connectionTimeoutMillis: 3000, application_name: 'bulkhead-chaos-admin' });
        admin.on('error', () => undefined);
        await admin.connect();
        try {
          const result = await admin.query<{ pid: number; ok: boolean }>(
            'SELECT pid, pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
            [applicationName],
          );
          const killed = result.rows.filter((row) => row.ok).length;
          return `pg_terminate_backend on ${killed} of ${result.rowCount ?? 0} server session(s) named ${applicationName}`;
        } finally {
          await admin.end().catch(() => undefined);
        }
      },
      heal: async () => 'nothing to undo: the sessions are gone, the pool must replace them',
      probe: (signal) => probePool(database, signal),
      dispose: async () => undefined,
    };
  },
};

export const dbRestartScenario: ScenarioDefinition = {
  name: 'db-restart',
  title: 'Database restart',
  description: 'Stops the embedded PostgreSQL (fast shutdown: every session ends) and starts it again on the same port after the fault duration.',
  recovery: 'Within the bound after the server is back, the pool answers again (it noticed the restart and refilled), requests complete without errors, no client leaked.',
  needs: ['embedded-database'],
  defaults: { startAfterS: 20, faultS: 5, recoveryBoundS: 15 },
  async prepare(context) {
    const database = requireDatabase(context, 'db-restart');
    const control = context.lifecycle?.embeddedControl() ?? null;
    if (!control) {
      throw new BulkheadError('CHAOS_NEEDS_EMBEDDED', 'The db-restart scenario stops and starts the embedded PostgreSQL; this stack uses a configured database.', {
        remedy: 'Run it on the embedded database (unset DATABASE_URL), or use partition, which cuts the network instead.',
      });
    }
    return {
      inject: async () => `embedded PostgreSQL stopped (${await control.stop()})`,
      heal: async () => `embedded PostgreSQL started again (${await control.start()})`,
      probe: (signal) => probePool(database, signal),
      dispose: async () => {
        // Never leave the database down, whatever happened in between.
        if (!control.running()) await control.start();
      },
    };
  },
};

export type { PreparedFault };
