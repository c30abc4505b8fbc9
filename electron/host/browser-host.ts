import { startStack, type Stack } from '../stack/stack';
import { createLogger, type Logger } from '../stack/log/logger';
import type { LaunchLink } from '../../shared/host-protocol';
import { writeHostAccess } from './host-access-file';
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
  readonly origin: string;
  readonly port: number;
  readonly stack: Stack;
  /** A fresh single-use link that opens the panel (what `serve` prints, and `bulkhead open` asks for). */
  launchLink(page?: string): LaunchLink;
  stop(): Promise<void>;
}

/**
 * The stack plus the host server: what `bulkhead serve` and the no-Electron fallback of `npm start` run.
 * The host is published in the data dir (host.json, 0600) so local clients can ask it for a new link.
 */
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
  let unpublish: () => void;
  try {
    server = await startHostServer({ dispatcher: stack.dispatcher, hub: stack.hub, rendererDir, port: options.port ?? 0, log });
    try {
      unpublish = writeHostAccess(options.dataDir, { version: 1, pid: process.pid, port: server.port, origin: server.origin, secret: server.secret, startedAt: Date.now() });
    } catch (error) {
      await server.close();
      throw error;
    }
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return {
    origin: server.origin,
    port: server.port,
    stack,
    launchLink: (page) => server.launchLink(page),
    stop: async () => {
      unpublish();
      try {
        await server.close();
      } finally {
        await stack.stop();
      }
    },
  };
}
