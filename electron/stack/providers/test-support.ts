/**
 * Test helpers: a raw HTTP client that is NOT Bulkhead's provider client (plain undici.request with
 * its own dispatcher), so simulator tests check the wire independently of the code they will serve.
 */
import { Agent, request } from 'undici';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: () => unknown;
}

const agent = new Agent({ connections: 8 });

export async function rawPost(url: string, body: unknown, headers: Record<string, string> = { authorization: 'Bearer sk-test-key' }): Promise<RawResponse> {
  const response = await request(url, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.body.text();
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return { status: response.statusCode, headers: flat, text, json: () => JSON.parse(text) as unknown };
}

export async function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const response = await request(url, { method: 'GET', dispatcher: agent, headers });
  const text = await response.body.text();
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return { status: response.statusCode, headers: flat, text, json: () => JSON.parse(text) as unknown };
}

/** Splits an SSE body the simplest way (blank-line separated blocks), independent of SseParser. */
export function splitSse(text: string): { event: string | undefined; data: string }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice('event: '.length);
      const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice('data: '.length)).join('\n');
      return { event, data };
    });
}

export function openAIBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'gpt-4o-mini', max_tokens: 32, messages: [{ role: 'user', content: 'Say hello.' }], ...extra };
}

export function anthropicBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'claude-haiku-4-5', max_tokens: 32, messages: [{ role: 'user', content: 'Say hello.' }], ...extra };
}

/** Waits (polling on the event loop, no timers asserted) until `check` holds. */
export async function until(check: () => boolean, what: string, maxTurns = 5000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`gave up waiting until ${what}`);
}
