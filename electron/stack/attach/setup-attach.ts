import type { attachMethods, AttachInfo } from '../../../shared/contract/attach';
import type { Feature, HandlersOf } from '../service/feature';
import type { StackCore } from '../stack-core';
import { startAttachEndpoint, type AttachEndpoint } from './attach-endpoint';
import { AttachedProcesses } from './attached-processes';

export interface AttachSettings {
  /** Open the endpoint (the desktop app and `bulkhead serve` do; CLI runs and tests by default do not). */
  enabled: boolean;
  port?: number;
  /** Fixed token for tests. */
  token?: string;
}

export type AttachFeature = Feature<HandlersOf<typeof attachMethods>> & {
  /** The endpoint's URL with its token, once it listens; null when off. */
  readonly url: () => string | null;
};

/**
 * attach.*: the endpoint other processes report to, the list of them, and their primitives merged into
 * the concurrency snapshot (so the Semaphores, Limiters and Pool pages show them beside the stack's own,
 * tagged with their process). Started asynchronously by `startAttach`; the handlers work before it
 * listens (they say it is not enabled yet).
 */
export async function setupAttach(core: StackCore, settings: AttachSettings): Promise<AttachFeature> {
  const { clock, hub, monitor, concurrency } = core;
  const log = core.log.child('attach');
  const processes = new AttachedProcesses(clock);
  const removeSource = concurrency.addSource(() => processes.primitives());
  const stopPublishing = monitor.onTick(() => hub.publish('attach.processes', processes.list()));
  let endpoint: AttachEndpoint | null = null;
  if (settings.enabled) {
    try {
      endpoint = await startAttachEndpoint({
        processes,
        clock,
        log,
        ...(settings.port !== undefined ? { port: settings.port } : {}),
        ...(settings.token !== undefined ? { token: settings.token } : {}),
      });
    } catch (error) {
      // The panel works without it; the Settings page says the endpoint is off.
      log.warn('attach endpoint could not start; attached processes will not appear', error);
    }
  }
  const info = (): AttachInfo =>
    endpoint ? { enabled: true, url: endpoint.url, envLine: `BULKHEAD_ATTACH=${endpoint.url}` } : { enabled: false, url: null, envLine: null };
  return {
    url: () => endpoint?.url ?? null,
    handlers: {
      'attach.info': () => info(),
      'attach.processes': () => processes.list(),
    },
    async dispose() {
      stopPublishing();
      removeSource();
      await endpoint?.close();
    },
  };
}
