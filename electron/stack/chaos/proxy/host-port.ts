import { BulkheadError } from '../../errors';
import type { HostPort } from './fault-proxy';

/** `host:port` or `[v6]:port` → parts, naming what is wrong otherwise. */
export function parseHostPort(text: string, what = 'address'): HostPort {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text.trim());
  const port = Number(match?.[3]);
  if (!match || !(port >= 0 && port <= 65535)) {
    throw new BulkheadError('BAD_ADDRESS', `The ${what} ${JSON.stringify(text)} is not host:port.`, {
      remedy: 'Write it as host:port, e.g. 127.0.0.1:5432 (or [::1]:5432).',
    });
  }
  return { host: match[1] ?? match[2] ?? '', port };
}
