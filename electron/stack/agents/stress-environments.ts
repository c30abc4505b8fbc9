import { BulkheadError } from '../errors';
import { chunkDocument } from '../db/rag/chunker';
import type { StackCore } from '../stack-core';
import type { RunEnvironmentFactory } from '../stress/run-environment';
import { agentEnvironmentFactory } from './agent-environment';
import type { ProviderGovernanceFactory } from './provider-governance';

/**
 * The stack's stress-run environments: the agent stack over the stack's RAG database, with governed
 * mode's provider limiter and retry loop and the worker-pool chunker.
 */
export function stressEnvironmentsFor(core: StackCore, env: NodeJS.ProcessEnv = process.env): RunEnvironmentFactory {
  return agentEnvironmentFactory({
    database: core.database,
    env,
    governance: governanceUnavailable,
    chunker: async (body) => chunkDocument(body),
  });
}

const governanceUnavailable: ProviderGovernanceFactory = () => {
  throw new BulkheadError('STRESS_GOVERNANCE_UNAVAILABLE', 'The provider limiter and retry loop for governed mode are not wired in yet.', {
    remedy: 'Use --mode unbounded for now.',
  });
};
