import { join } from 'node:path';
import type { ConfigSource, PoolSettings, PoolSettingsInfo, ServerActivity } from '../../../../shared/contract/pool';
import type { RagStatus } from '../../../../shared/contract/rag';
import type { Clock } from '../../clock/clock';
import { BulkheadError, describeError } from '../../errors';
import type { Logger } from '../../log/logger';
import { resolveDatabaseConfig, type ConnectionSettings } from '../config/database-config';
import { readEnvLayers, type EnvLayer } from '../config/env-layers';
import { embeddedSettings, resolveTarget, type DatabaseTarget } from '../database-target';
import { startEmbeddedServer, type EmbeddedServer } from '../embedded/embedded-server';
import { classifyPgError } from '../pg-error';
import { clientConfigFor, transactionStart } from '../pool/client-config';
import { pgbouncerRefusal } from '../pgbouncer/pgbouncer-refusal';
import { InstrumentedPool } from '../pool/instrumented-pool';
import type { RefillBackoff } from '../pool/pool-refill';
import { resolvePoolSettings } from '../pool/pool-settings';
import { ServerActivitySampler } from '../pool/server-activity';
import { defaultCorpusDir, readCorpus } from '../rag/corpus';
import { ingestDocuments } from '../rag/ingest';
import { migrateRagSchema, type PgvectorState } from '../rag/rag-migrations';
import { embeddedInfoOf, LiveDatabase } from './live-database';

export interface BringUpOptions {
  dataDir: string;
  /** `auto`: configured database, else embedded. `{url}`: this one. */
  mode: 'auto' | { url: string };
  clock: Clock;
  log: Logger;
  env: NodeJS.ProcessEnv;
  cwd: string;
  poolOverrides: Partial<PoolSettings> | undefined;
  /** Corpus to ingest once ready; undefined = resources/corpus; null skips ingest. */
  corpusDir: string | null | undefined;
  serverSampleIntervalMs: number;
  refillBackoff: RefillBackoff | undefined;
}

/** What bring-up learned, kept across attempts for the Pool page and the doctor (not resources: nothing to close). */
export interface DatabaseFacts {
  layers: EnvLayer[];
  settings: PoolSettings;
  settingsSources: ConfigSource[];
  mode: PoolSettingsInfo['mode'];
  target: DatabaseTarget | null;
  pgvector: PgvectorState;
  schemaVersion: number;
  lastIngest: RagStatus['lastIngest'];
  tlsWarned: boolean;
}

/** The starting state's window on its attempt: the embedded server as soon as there is one, and progress. */
export interface AttemptSlot {
  embedded: EmbeddedServer | null;
  progress(detail: string): void;
}

/** Why an attempt failed, and whether waiting can help (a server down) or not (a bad URL). */
export class AttemptFailure extends Error {
  constructor(
    readonly reason: unknown,
    readonly retryable: boolean,
    readonly detail: string,
  ) {
    super(detail, { cause: reason });
    this.name = 'AttemptFailure';
  }
}

/**
 * One attempt to bring the database up: configuration, the embedded server (once; later attempts reuse
 * it), TLS, pool warmed to min, schema migrated, corpus ingested. Resolves with everything handed over
 * in a LiveDatabase; on failure or abort it closes what it opened itself (pool, sampler) before it
 * rejects with an AttemptFailure. The embedded server stays in the slot: the caller owns it from there.
 */
export async function bringUp(options: BringUpOptions, facts: DatabaseFacts, slot: AttemptSlot, signal: AbortSignal, onSample: (sample: ServerActivity) => void): Promise<LiveDatabase> {
  const { clock, log } = options;
  let stage: 'configure' | 'connect' = 'configure';
  let pool: InstrumentedPool | null = null;
  let sampler: ServerActivitySampler | null = null;
  try {
    slot.progress('reading configuration');
    facts.layers = readEnvLayers({ env: options.env, cwd: options.cwd, flagUrl: typeof options.mode === 'object' ? options.mode.url : undefined });
    const resolvedPool = resolvePoolSettings(facts.layers, options.poolOverrides);
    facts.settings = resolvedPool.settings;
    facts.settingsSources = resolvedPool.sources;
    const config = resolveDatabaseConfig(facts.layers);
    if (config.mode === 'invalid') {
      facts.mode = 'configured';
      throw new BulkheadError(config.problem.code, config.problem.message, { remedy: config.problem.remedy });
    }
    facts.mode = config.mode;
    let connection: ConnectionSettings;
    if (config.mode === 'embedded') {
      if (!slot.embedded) {
        slot.progress('starting the embedded PostgreSQL');
        slot.embedded = await startEmbeddedServer({ baseDir: join(options.dataDir, 'postgres'), log: log.child('postgres'), signal });
      }
      connection = embeddedSettings(slot.embedded);
    } else {
      connection = config.settings;
    }
    signal.throwIfAborted();

    stage = 'connect';
    const target = await resolveTarget(connection, slot.embedded ? embeddedInfoOf(slot.embedded) : null, signal);
    facts.target = target;
    if (target.tls.warning && !facts.tlsWarned) {
      facts.tlsWarned = true;
      log.warn(`TLS: ${target.tls.warning}`);
    }
    const clientConfig = clientConfigFor(target, facts.settings);
    pool = new InstrumentedPool({ config: clientConfig, settings: facts.settings, clock, log: log.child('pool'), ...(options.refillBackoff ? { refillBackoff: options.refillBackoff } : {}) });
    sampler = new ServerActivitySampler({ config: clientConfig, applicationName: facts.settings.applicationName, clock, intervalMs: options.serverSampleIntervalMs, onSample });
    sampler.start();
    slot.progress(`connecting to ${target.description}`);
    await pool.warm(signal);
    await prepareSchema(options, facts, pool, slot, signal);

    const live = new LiveDatabase({ target, settings: facts.settings, retrieval: facts.pgvector === 'enabled' ? 'vector' : 'full-text', pool, sampler, embedded: slot.embedded, dataDir: options.dataDir, log });
    pool = null;
    sampler = null;
    return live;
  } catch (error) {
    const refusal = stage === 'connect' ? pgbouncerRefusal(error) : null;
    if (refusal) throw new AttemptFailure(refusal, false, `${refusal.message} — ${refusal.remedy ?? ''}`);
    throw new AttemptFailure(error, stage === 'connect', describeFailure(error, facts.target, stage));
  } finally {
    // Only set when the attempt did not hand them over.
    await sampler?.stop().catch((error: unknown) => log.warn('stopping the server sampler failed', error));
    await pool?.end().catch((error: unknown) => log.warn('closing the pool failed', error));
  }
}

async function prepareSchema(options: BringUpOptions, facts: DatabaseFacts, pool: InstrumentedPool, slot: AttemptSlot, signal: AbortSignal): Promise<void> {
  const { clock, log } = options;
  slot.progress('migrating the RAG schema');
  const schema = await pool.withClient('rag.migrate', (lease) => migrateRagSchema(lease.client, log.child('rag'), transactionStart(pool.settings)), { signal });
  facts.pgvector = schema.pgvector;
  facts.schemaVersion = schema.version;
  signal.throwIfAborted();
  const corpusDir = options.corpusDir === undefined ? defaultCorpusDir() : options.corpusDir;
  if (!corpusDir) return;
  slot.progress('loading the sample corpus');
  const documents = readCorpus(corpusDir);
  const result = await pool.withClient('rag.ingest', (lease) => ingestDocuments(lease.client, documents, { withEmbeddings: facts.pgvector === 'enabled', begin: transactionStart(pool.settings) }), { signal });
  facts.lastIngest = { at: clock.now(), added: result.added, updated: result.updated, unchanged: result.unchanged, removed: result.removed, ms: result.ms };
  log.info(`RAG corpus: ${result.added} added, ${result.updated} updated, ${result.unchanged} unchanged, ${result.removed} removed in ${Math.round(result.ms)} ms`);
}

function describeFailure(error: unknown, target: DatabaseTarget | null, stage: 'configure' | 'connect'): string {
  if (stage === 'configure') return error instanceof BulkheadError ? `${error.message}${error.remedy ? ` — ${error.remedy}` : ''}` : describeError(error);
  // The pool wraps the driver's error; the driver's code is what the doctor's catalogue speaks.
  const inner = error instanceof BulkheadError && error.cause !== undefined ? error.cause : error;
  const info = classifyPgError(inner);
  return `cannot use ${target?.description ?? 'the database'}: ${info.code} ${info.message || describeError(inner)}`;
}
