import type { TargetSpec } from '../../../shared/contract/stress-target';
import type { EndpointRewrites, RunEnvironment, RunEnvironmentFactory, RunEnvironmentRequest } from '../stress/run-environment';
import { HttpTargetWorkload } from './http-target-workload';
import { redactTarget } from '../stress/redact-target';

/**
 * The environment of a run against an HTTP target: no database, no simulator, no provider — only the
 * target's connection pool, built once a chaos scenario had its say (a fault proxy in front of the
 * target shows up as `rewrites.targetOrigin`).
 */
export function targetEnvironment(request: RunEnvironmentRequest, target: TargetSpec): RunEnvironment {
  let workload: HttpTargetWorkload | null = null;
  const shown = redactTarget(target);
  return {
    database: null,
    simulator: null,
    providerUrl: null,
    providerDescription: null,
    connections: null,
    targetUrl: target.url,
    buildWorkload: async (rewrites: EndpointRewrites) => {
      request.signal.throwIfAborted();
      workload = new HttpTargetWorkload({ target, clock: request.clock, connectOrigin: rewrites.targetOrigin, describedUrl: shown.url });
      return workload;
    },
    close: async () => {
      await workload?.close();
    },
  };
}

/** Runs whose profile names a target go to the target; every other run to the stack's own environment. */
export function withTargetRuns(stackEnvironments: RunEnvironmentFactory): RunEnvironmentFactory {
  return async (request) => (request.profile.target ? targetEnvironment(request, request.profile.target) : stackEnvironments(request));
}
