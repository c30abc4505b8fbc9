import type { WorkflowName } from '../../../shared/contract/stress-profile';
import type { Clock } from '../clock/clock';
import type { ProviderClient } from '../providers/provider-client';
import type { ChatRequest } from '../providers/provider-types';
import type { Arrival } from '../stress/open-model-scheduler';
import type { StressWorkload, WorkloadInterval } from '../stress/workload';
import { ingestDocumentFor, questionFor, subQueriesFor } from './agent-content';
import type { AgentDataAccess } from './agent-data';
import type { StageTimings } from './stage-timings';

/** Admission to the agent stack: governed = the agent semaphore; unbounded = everyone at once. */
export interface AgentGate {
  /** Waits for admission (timed as semaphore_wait by the implementation); returns the release. */
  enter(label: string, signal: AbortSignal): Promise<() => void>;
  close(): void;
}

export const OPEN_GATE: AgentGate = { enter: async () => () => undefined, close: () => undefined };

export interface ProviderStats {
  http429: number;
  retries: number;
  calls: number;
}

export interface AgentWorkloadOptions {
  runId: string;
  clock: Clock;
  description: string;
  gate: AgentGate;
  data: AgentDataAccess | null;
  provider: ProviderClient | null;
  providerName: string;
  model: string;
  timings: StageTimings;
  /** Counted by the provider client's attempt hook (every HTTP attempt). */
  stats: ProviderStats;
  /** Adaptive mode: the permits of each adaptive limit now, recorded in every second's sample. */
  adaptiveLimits?: () => Record<string, number>;
  /** Top-k chunks per question. */
  topK?: number;
  maxTokens?: number;
}

const CONTEXT_CHARS = 1_600;

/**
 * The agent workflows behind stress runs, as a StressWorkload:
 * - rag-answer: gate → retrieve top-k (sub-queries through the database access) → expand each hit
 *   with its document's opening → provider call
 *   (limiter and retry loop inside the client when governed) → store the answer.
 * - ingest: gate → chunk and insert a document.
 * - noop: resolves at once (for measuring the runner).
 * Every stage is timed into the StageTimings; nothing is kept per request.
 */
export function agentWorkload(options: AgentWorkloadOptions): StressWorkload {
  const { clock, timings, stats } = options;
  const topK = options.topK ?? 4;
  const maxTokens = options.maxTokens ?? 96;
  let last = { http429: 0, retries: 0 };

  const ragAnswer = async (arrival: Arrival, label: string): Promise<void> => {
    const data = requireData(options.data);
    const provider = requireProvider(options.provider);
    const question = questionFor(arrival.index);
    const chunks = await data.retrieve(subQueriesFor(question), topK, label, arrival.signal);
    const openings = await data.expand(chunks, label, arrival.signal);
    const context = chunks
      .map((c, i) => `[${i + 1}] ${c.documentTitle}: ${c.text}\n    (from: ${openings[i]?.slice(0, 160) ?? ''})`)
      .join('\n')
      .slice(0, CONTEXT_CHARS);
    const request: ChatRequest = {
      model: options.model,
      maxTokens,
      messages: [
        { role: 'system', content: 'Answer from the numbered sources only, briefly, citing them as [n].' },
        { role: 'user', content: `Sources:\n${context || '(none found)'}\n\nQuestion: ${question}` },
      ],
    };
    const providerStarted = clock.now();
    let answer: string;
    try {
      answer = (await provider.chat(request, { signal: arrival.signal })).text;
    } finally {
      timings.record('provider', clock.now() - providerStarted);
    }
    await data.storeAnswer(
      { runId: options.runId, requestIndex: arrival.index, question, answer, sourceChunkIds: chunks.map((c) => c.chunkId) },
      label,
      arrival.signal,
    );
  };

  return {
    description: options.description,

    async execute(workflow: WorkflowName, arrival: Arrival) {
      if (workflow === 'noop') return;
      const label = `${workflow}#${arrival.index}`;
      const started = clock.now();
      const release = await options.gate.enter(label, arrival.signal);
      try {
        if (workflow === 'rag-answer') await ragAnswer(arrival, label);
        else await requireData(options.data).ingest(ingestDocumentFor(options.runId, arrival.index), label, arrival.signal);
      } finally {
        release();
        timings.record('total', clock.now() - started);
      }
    },

    takeInterval(): WorkloadInterval {
      const second = timings.takeSecond();
      const interval: WorkloadInterval = {
        http429: stats.http429 - last.http429,
        retries: stats.retries - last.retries,
        semaphoreWaitP99Ms: second.semaphore_wait?.p99 ?? null,
        limiterWaitP99Ms: second.limiter_wait?.p99 ?? null,
        poolAcquireP99Ms: second.pool_acquire?.p99 ?? null,
        providerP95Ms: second.provider?.p95 ?? null,
        poolWaiting: options.data?.poolWaiting() ?? null,
        ...(options.adaptiveLimits ? { adaptiveLimits: options.adaptiveLimits() } : {}),
      };
      last = { http429: stats.http429, retries: stats.retries };
      return interval;
    },

    totals: () => ({
      http429: stats.http429,
      retries: stats.retries,
      providerCalls: stats.calls,
      providerName: options.providerName,
      poolMax: options.data?.poolMax ?? null,
    }),

    stage: (name) => timings.stage(name),

    /** Closes the gate and removes what the run wrote; the environment closes the rest. */
    async close() {
      options.gate.close();
      await options.data?.close(options.runId);
    },
  };
}

function requireData(data: AgentDataAccess | null): AgentDataAccess {
  if (!data) throw new Error('this run has no database (the profile mix promised none)');
  return data;
}

function requireProvider(provider: ProviderClient | null): ProviderClient {
  if (!provider) throw new Error('this run has no provider client (the profile mix promised none)');
  return provider;
}
