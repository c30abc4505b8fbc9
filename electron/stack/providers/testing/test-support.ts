/**
 * Test helpers: a raw HTTP client that is NOT Bulkhead's provider client (plain undici.request with
 * its own dispatcher), so simulator tests check the wire independently of the code they will serve.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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

/** What a recording provider saw of one request: never more than the test needs to check keys. */
export interface SeenRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  apiKey: string | undefined;
}

export interface RecordingProvider {
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP listener on its own port that records the auth headers of every request and answers like
 * the OpenAI or Anthropic API (or with `answer`, e.g. a redirect). Tests use it as "another origin" to
 * prove a key never reaches it, and as a bound endpoint to prove the key does arrive where it is bound.
 */
export async function startRecordingProvider(answer?: (response: ServerResponse, request: IncomingMessage) => void): Promise<RecordingProvider> {
  const seen: SeenRequest[] = [];
  const server = createServer((request, response) => {
    const header = (name: string): string | undefined => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    seen.push({ method: request.method ?? '', path: request.url ?? '', authorization: header('authorization'), apiKey: header('x-api-key') });
    request.resume();
    request.on('end', () => {
      if (answer) return answer(response, request);
      const anthropic = (request.url ?? '').includes('/messages');
      const body = anthropic
        ? { id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', usage: { input_tokens: 5, output_tokens: 1 } }
        : { id: 'chatcmpl-1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 1 } };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
