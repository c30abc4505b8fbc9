import { startStack, type Stack } from '../stack/stack';
import { createLogger, type Logger } from '../stack/log/logger';
import { startHostServer, type HostServer } from './host-server';
import { ensureRendererBuilt } from './renderer-build';

export interface BrowserHostOptions {
  dataDir: string;
  port?: number;
  log?: Logger;
  onProgress?: (line: string) => void;
  /** Injected by tests to run against a ready stack. */
  monitorIntervalMs?: number;
}

export interface BrowserHost {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly stack: Stack;
  stop(): Promise<void>;
}

/** The stack plus the host server: what `bulkhead serve` and the no-Electron fallback of `npm start` run. */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const log = options.log ?? createLogger({ scope: 'host' });
  const rendererDir = await ensureRendererBuilt(options.onProgress ?? ((line) => log.info(line)));
  const stack = await startStack({
    dataDir: options.dataDir,
    role: 'host',
    log,
    ...(options.monitorIntervalMs ? { monitorIntervalMs: options.monitorIntervalMs } : {}),
  });
  let server: HostServer;
  try {
    server = await startHostServer({ dispatcher: stack.dispatcher, hub: stack.hub, rendererDir, port: options.port ?? 0 });
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return {
    url: server.url,
    port: server.port,
    token: server.token,
    stack,
    stop: async () => {
      try {
        await server.close();
      } finally {
        await stack.stop();
      }
    },
  };
}
