import { z } from 'zod';
import { defineEvents, defineMethods } from './define';

/**
 * The fault proxy: TCP proxies between the stack and its dependencies (the pool and PostgreSQL, the
 * provider clients and the provider) with Toxiproxy's toxics, switched on and off live. The toxic
 * shape is Toxiproxy's JSON (`type`, `stream`, `toxicity`, `attributes`) so its users can read it.
 */

export const ToxicStreamSchema = z.enum(['upstream', 'downstream']).describe('upstream: client → server; downstream: server → client');
export type ToxicStream = z.infer<typeof ToxicStreamSchema>;

const ms = (what: string) => z.number().int().min(0).max(3_600_000).describe(what);

const toxicBase = {
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, dot, dash or underscore')
    .optional()
    .describe('unique per proxy; default TYPE_STREAM, e.g. latency_downstream'),
  stream: ToxicStreamSchema.default('downstream'),
  toxicity: z.number().min(0).max(1).default(1).describe('probability that the toxic applies to a connection'),
};

export const LatencyToxicSchema = z.object({
  ...toxicBase,
  type: z.literal('latency'),
  attributes: z.object({ latency: ms('added delay per chunk'), jitter: ms('± random extra delay').default(0) }).strict(),
});
export const BandwidthToxicSchema = z.object({
  ...toxicBase,
  type: z.literal('bandwidth'),
  attributes: z.object({ rate: z.number().int().min(1).max(10_000_000).describe('KB/s (1 KB = 1000 bytes)') }).strict(),
});
export const TimeoutToxicSchema = z.object({
  ...toxicBase,
  type: z.literal('timeout'),
  attributes: z.object({ timeout: ms('drop all data, close the connection after this; 0 = hang until removed') }).strict(),
});
export const ResetPeerToxicSchema = z.object({
  ...toxicBase,
  type: z.literal('reset_peer'),
  attributes: z.object({ timeout: ms('reset (TCP RST) this long after the first data; 0 = at once') }).strict(),
});
export const SlowCloseToxicSchema = z.object({
  ...toxicBase,
  type: z.literal('slow_close'),
  attributes: z.object({ delay: ms('hold the close this long') }).strict(),
});
export const LimitDataToxicSchema = z.object({
  ...toxicBase,
  type: z.literal('limit_data'),
  attributes: z.object({ bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).describe('close the connection after this many bytes') }).strict(),
});
export const SlicerToxicSchema = z.object({
  ...toxicBase,
  type: z.literal('slicer'),
  attributes: z
    .object({
      average_size: z.number().int().min(1).max(1_000_000).describe('bytes per slice on average'),
      size_variation: z.number().int().min(0).max(1_000_000).default(0).describe('± bytes'),
      delay: z.number().int().min(0).max(10_000_000).default(0).describe('microseconds between slices'),
    })
    .strict(),
});

export const ToxicSchema = z.discriminatedUnion('type', [
  LatencyToxicSchema,
  BandwidthToxicSchema,
  TimeoutToxicSchema,
  ResetPeerToxicSchema,
  SlowCloseToxicSchema,
  LimitDataToxicSchema,
  SlicerToxicSchema,
]);
/** A toxic as given by a caller (name, stream, toxicity and some attributes may be left out). */
export type ToxicInput = z.input<typeof ToxicSchema>;
/** A toxic with defaults applied and its name filled in. */
export type Toxic = z.output<typeof ToxicSchema> & { name: string };
export type ToxicType = Toxic['type'];
export const TOXIC_TYPES = ['latency', 'bandwidth', 'timeout', 'reset_peer', 'slow_close', 'limit_data', 'slicer'] as const satisfies readonly ToxicType[];

const DirectionBytesSchema = z.object({
  received: z.number().int().describe('bytes read from the sending side'),
  forwarded: z.number().int().describe('bytes written to the receiving side'),
  dropped: z.number().int().describe('bytes swallowed by toxics (timeout, reset_peer, limit_data)'),
});

export const ProxyConnectionInfoSchema = z.object({
  id: z.number().int(),
  client: z.string(),
  ageMs: z.number(),
  bytesUpstream: z.number().int(),
  bytesDownstream: z.number().int(),
  /** Toxics that apply to this connection (toxicity decided per connection). */
  toxics: z.array(z.string()),
});
export type ProxyConnectionInfo = z.infer<typeof ProxyConnectionInfoSchema>;

export const ProxySnapshotSchema = z.object({
  name: z.string(),
  purpose: z.string().describe('what the proxy sits in front of, for people: "RAG database", "provider"'),
  listen: z.string().describe('host:port the proxy accepts on'),
  upstream: z.string().describe('host:port it forwards to'),
  enabled: z.boolean().describe('false = "down": new connections refused, open ones cut'),
  connections: z.object({
    open: z.number().int(),
    accepted: z.number().int(),
    upstreamFailures: z.number().int().describe('connections whose upstream could not be reached'),
    cutByToxics: z.number().int().describe('closed or reset by timeout, reset_peer or limit_data'),
    cutByDown: z.number().int(),
  }),
  bytes: z.object({ upstream: DirectionBytesSchema, downstream: DirectionBytesSchema }),
  toxics: z.array(ToxicSchema.and(z.object({ name: z.string() }))),
  /** The newest open connections (at most 20). */
  openConnections: z.array(ProxyConnectionInfoSchema),
  lastError: z.string().nullable(),
});
export type ProxySnapshot = z.infer<typeof ProxySnapshotSchema>;

const HostPortSchema = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'write it as host:port, e.g. 127.0.0.1:5432')
  .describe('host:port');
const ProxyNameSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, dot, dash or underscore');

export const chaosMethods = defineMethods({
  'chaos.proxies.list': {
    description: 'Every fault proxy with its connections, bytes and toxics.',
    params: z.object({}).strict(),
    result: z.array(ProxySnapshotSchema),
  },
  'chaos.proxies.create': {
    description: 'Starts a fault proxy on 127.0.0.1 in front of host:port.',
    params: z
      .object({
        name: ProxyNameSchema,
        upstream: HostPortSchema,
        listenPort: z.number().int().min(0).max(65535).default(0).describe('0 = any free port'),
        purpose: z.string().max(80).default(''),
      })
      .strict(),
    result: ProxySnapshotSchema,
  },
  'chaos.proxies.delete': {
    description: 'Stops a proxy and closes its connections.',
    params: z.object({ name: ProxyNameSchema }).strict(),
    result: z.object({ deleted: z.boolean() }),
  },
  'chaos.proxies.setEnabled': {
    description: 'Down (enabled false: refuse new connections, cut open ones) or up again on the same port.',
    params: z.object({ name: ProxyNameSchema, enabled: z.boolean() }).strict(),
    result: ProxySnapshotSchema,
  },
  'chaos.proxies.reset': {
    description: 'Removes every toxic and brings every proxy (or the named one) up.',
    params: z.object({ name: ProxyNameSchema.optional() }).strict(),
    result: z.array(ProxySnapshotSchema),
  },
  'chaos.toxics.add': {
    description: 'Adds a toxic to a proxy; it applies to open connections at once.',
    params: z.object({ proxy: ProxyNameSchema, toxic: ToxicSchema }).strict(),
    result: ProxySnapshotSchema,
  },
  'chaos.toxics.remove': {
    description: 'Removes a toxic by name. Removing a timeout toxic closes the connections it held (their data is gone).',
    params: z.object({ proxy: ProxyNameSchema, name: z.string().min(1) }).strict(),
    result: ProxySnapshotSchema,
  },
});

export const ChaosProxiesEventSchema = z.object({ t: z.number(), proxies: z.array(ProxySnapshotSchema) });

export const chaosEvents = defineEvents({
  'chaos.proxies': {
    description: 'Pushed every monitor tick while any fault proxy exists.',
    payload: ChaosProxiesEventSchema,
  },
});

/* ---------- Chaos scenarios: a fault on a timeline, and a verdict on whether the stack recovered ---------- */

export const CHAOS_SCENARIO_NAMES = ['db-terminate', 'db-restart', 'partition', 'latency-spike', 'provider-outage', 'memory-pressure'] as const;
export const ChaosScenarioNameSchema = z.enum(CHAOS_SCENARIO_NAMES);
export type ChaosScenarioName = z.infer<typeof ChaosScenarioNameSchema>;

export const ChaosScenarioInfoSchema = z.object({
  name: ChaosScenarioNameSchema,
  title: z.string(),
  description: z.string().describe('what the fault does'),
  recovery: z.string().describe('what "recovered" means for this scenario, checked after the fault ends'),
  needs: z.array(z.enum(['database', 'embedded-database', 'simulator'])),
  defaults: z.object({ startAfterS: z.number(), faultS: z.number(), recoveryBoundS: z.number() }),
});
export type ChaosScenarioInfo = z.infer<typeof ChaosScenarioInfoSchema>;

export const ChaosTimelineEventSchema = z.object({
  t: z.number().describe('epoch ms'),
  atMs: z.number().describe('ms since the scenario started'),
  kind: z.enum(['started', 'fault-start', 'fault-end', 'recovered', 'not-recovered', 'note', 'error', 'stopped']),
  detail: z.string(),
});
export type ChaosTimelineEvent = z.infer<typeof ChaosTimelineEventSchema>;

export const ChaosCheckSchema = z.object({
  id: z.enum(['fault-injected', 'dependency-recovered', 'requests-recovered', 'no-leaked-client', 'server-connections', 'no-unhandled-rejection', 'process-alive', 'requests-accounted', 'run-record-complete']),
  title: z.string(),
  ok: z.boolean(),
  detail: z.string(),
});
export type ChaosCheck = z.infer<typeof ChaosCheckSchema>;

export const ChaosRunSchema = z.object({
  id: z.string(),
  scenario: ChaosScenarioNameSchema,
  /** The stress run it ran inside, or null when it ran alone (with its own probe traffic). */
  stressRunId: z.string().nullable(),
  status: z.enum(['running', 'passed', 'failed', 'error']),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  params: z.object({ startAfterS: z.number(), faultS: z.number(), recoveryBoundS: z.number() }),
  timeline: z.array(ChaosTimelineEventSchema),
  /** Time from the fault's end to the dependency answering again, or null (not recovered / not reached). */
  recoveryMs: z.number().nullable(),
  checks: z.array(ChaosCheckSchema),
  summary: z.string(),
});
export type ChaosRun = z.infer<typeof ChaosRunSchema>;

export const chaosScenarioMethods = defineMethods({
  'chaos.scenarios.list': {
    description: 'The chaos scenarios, what each does and what recovery means for it.',
    params: z.object({}).strict(),
    result: z.array(ChaosScenarioInfoSchema),
  },
  'chaos.scenarios.run': {
    description: 'Runs a scenario alone, with its own light probe traffic (to run one inside a stress run, start the run with chaos: NAME).',
    params: z
      .object({
        name: ChaosScenarioNameSchema,
        startAfterS: z.number().min(0).max(3600).optional(),
        faultS: z.number().min(0).max(3600).optional(),
        recoveryBoundS: z.number().min(1).max(3600).optional(),
      })
      .strict(),
    result: z.object({ id: z.string() }),
  },
  'chaos.runs.list': {
    description: 'Scenario runs with their timelines and verdicts, newest first (a running one included).',
    params: z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
    result: z.array(ChaosRunSchema),
  },
});

export const chaosScenarioEvents = defineEvents({
  'chaos.run': {
    description: 'Pushed when a scenario run changes: a timeline event, or its verdict.',
    payload: ChaosRunSchema,
  },
});
