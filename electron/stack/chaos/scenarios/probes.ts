import pg from 'pg';
import type { ReadyDatabase } from '../../db/rag-database';
import { BulkheadError } from '../../errors';

/**
 * `SELECT 1` on a fresh connection to `endpoint` (or the database itself), with short timeouts: is the
 * database reachable and answering from where the stack stands? A new client each time, so a broken
 * pooled one cannot make a healthy server look down, or the reverse.
 */
export async function probeDatabase(
  database: ReadyDatabase,
  endpoint: { host: string; port: number } | undefined,
  signal: AbortSignal,
  applicationName = 'bulkhead-chaos-probe',
): Promise<void> {
  const config = { ...database.clientConfig(), ...(endpoint ?? {}), connectionTimeoutMillis: 2000, query_timeout: 2000, application_name: applicationName };
  const client = new pg.Client(config);
  client.on('error', () => undefined);
  const onAbort = (): void => void client.end().catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    signal.removeEventListener('abort', onAbort);
    await client.end().catch(() => undefined);
  }
}

/** One small chat completion against an OpenAI-compatible base URL (the simulator): 200 or it throws. */
export async function probeProvider(baseUrl: string, signal: AbortSignal): Promise<void> {
  const response = await fetch(`${baseUrl.replace(/\/$/, '')}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-chaos-probe' },
    body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 4, messages: [{ role: 'user', content: 'ping' }] }),
    signal: AbortSignal.any([signal, AbortSignal.timeout(3000)]),
  });
  await response.arrayBuffer();
  if (response.status >= 500) throw new BulkheadError('CHAOS_PROBE_FAILED', `the provider answered ${response.status}`);
}
