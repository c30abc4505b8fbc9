import { WorkerPool } from '../concurrency/worker-pool/worker-pool';
import type { StackCore } from '../stack-core';
import type { RunEnvironmentFactory } from '../stress/run-environment';
import { governedBoundsFrom } from './governed-bounds-env';
import { agentEnvironmentFactory, type AgentEnvironmentDeps } from './agent-environment';
import { providerGovernanceFor } from './provider-governance';

const CHUNK_TASKS = new URL('./chunk-tasks.ts', import.meta.url);

/**
 * The stack's stress-run environments: the agent stack over the stack's RAG database, with governed
 * mode's provider limiter and retry loop and chunking in a worker pool. The run's semaphore, worker pool
 * and limiter are registered with the stack's concurrency registry, so the Semaphores and Limiters pages
 * show them while the run lasts (the Pool page shows the stack's pool, which governed runs use).
 */
export function stressEnvironmentsFor(
  core: StackCore,
  env: NodeJS.ProcessEnv = process.env,
  diagnoseDatabase?: AgentEnvironmentDeps['diagnoseDatabase'],
): RunEnvironmentFactory {
  return agentEnvironmentFactory({
    bounds: governedBoundsFrom(env),
    ...(diagnoseDatabase ? { diagnoseDatabase } : {}),
    database: core.database,
    env,
    secrets: core.secrets,
    governance: providerGovernanceFor(core.concurrency),
    chunkerPool: (clock) => new WorkerPool({ name: 'agents.chunker', module: CHUNK_TASKS, size: 1, maxQueue: 64, clock }),
    register: (primitive) => core.concurrency.register(primitive),
  });
}
