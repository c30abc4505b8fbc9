import { CHARS_PER_TOKEN } from '../token-estimate';
import { ANTHROPIC_MESSAGES, anthropicError, anthropicEvents, messageBody, type AnthropicErrorBody, type AnthropicUsage } from './anthropic-wire';
import { answerLength, generateText } from './text-generator';
import { answerDelay, firstByteDelay, parseJsonObject, pause, requestApiKey, sendJson, startSse, streamPieces, type SimRequest } from './sim-http';

/** Anthropic does not cache prefixes shorter than this (Sonnet/Opus class models). */
const MIN_CACHEABLE_TOKENS = 1024;

interface ParsedMessagesRequest {
  model: string;
  maxTokens: number;
  stream: boolean;
  usage: Omit<AnthropicUsage, 'output_tokens'>;
}

/** POST /v1/messages: auth → parse → validate → overload → limits → faults → answer (JSON or SSE). */
export async function handleMessages(request: SimRequest): Promise<void> {
  const { engine, res } = request;
  const requestId = `req_${request.tag}`;
  const send = (status: number, body: AnthropicErrorBody, headers: Record<string, string> = {}): void => {
    sendJson(res, status, { ...headers, 'request-id': requestId }, JSON.stringify(body), engine);
  };
  const invalid = (message: string): void => send(400, anthropicError('invalid_request_error', message, requestId));
  if (!requestApiKey(request.req)) return send(401, anthropicError('authentication_error', ANTHROPIC_MESSAGES.missingKey, requestId));
  const json = parseJsonObject(request.body);
  if (!json) return invalid(ANTHROPIC_MESSAGES.badJson);
  const parsed = parseMessagesRequest(json, request);
  if (typeof parsed === 'string') return invalid(parsed);

  // 529 is provider-wide overload: it comes before (and regardless of) your own limits.
  if (engine.faults.hits('overload', request.random.next)) {
    engine.stats.fault('overload');
    return send(529, anthropicError('overloaded_error', ANTHROPIC_MESSAGES.overloaded, requestId));
  }
  const now = engine.clock.now();
  const inputCharge = parsed.usage.input_tokens + parsed.usage.cache_creation_input_tokens;
  const admission = engine.anthropic.admit(inputCharge, parsed.maxTokens, now, requestId);
  if (!admission.ok) return send(429, admission.body, admission.headers);
  const serverError = engine.faults.hits('server-error', request.random.next);
  if (serverError) {
    engine.stats.fault('server-error');
    admission.settle(0, now);
    return send(serverError.status, anthropicError('api_error', ANTHROPIC_MESSAGES.server, requestId), admission.headers);
  }

  const length = answerLength(request.random, engine.live.output.minTokens, engine.live.output.maxTokens, parsed.maxTokens);
  const generated = generateText(request.random, length.tokens);
  const stopReason = length.truncated ? 'max_tokens' : 'end_turn';
  const id = `msg_${request.tag}`;
  const headers: Record<string, string> = { ...admission.headers, 'request-id': requestId };

  if (!parsed.stream) {
    const done = await pause(request, answerDelay(request, generated.tokens));
    admission.settle(done ? generated.tokens : 0, engine.clock.now());
    if (!done) return;
    sendJson(res, 200, headers, messageBody(id, parsed.model, generated.text, stopReason, { ...parsed.usage, output_tokens: generated.tokens }), engine);
    return;
  }

  let sent = 0;
  try {
    if (!(await pause(request, firstByteDelay(request)))) return;
    startSse(res, headers, engine);
    res.write(anthropicEvents.messageStart(id, parsed.model, { ...parsed.usage, output_tokens: 1 }) + anthropicEvents.contentBlockStart() + anthropicEvents.ping());
    const streamError = engine.faults.hits('stream-error', request.random.next);
    const stopAfter = streamError ? Math.floor(generated.pieces.length / 2) : generated.pieces.length;
    sent = await streamPieces(request, generated.pieces, anthropicEvents.textDelta, stopAfter);
    if (res.destroyed || sent < stopAfter) return;
    if (streamError) {
      engine.stats.fault('stream-error');
      // Mid-stream failures arrive as an `error` event after a 200 (FACTS: Anthropic errors).
      res.end(anthropicEvents.error(anthropicError('overloaded_error', ANTHROPIC_MESSAGES.overloaded)));
      return;
    }
    res.end(anthropicEvents.contentBlockStop() + anthropicEvents.messageDelta(stopReason, generated.tokens) + anthropicEvents.messageStop());
  } finally {
    admission.settle(sent, engine.clock.now());
  }
}

function parseMessagesRequest(json: Record<string, unknown>, request: SimRequest): ParsedMessagesRequest | string {
  if (typeof json.model !== 'string' || json.model === '') return 'model: Field required';
  if (json.messages === undefined) return 'messages: Field required';
  if (!Array.isArray(json.messages)) return 'messages: Input should be a valid list';
  if (json.messages.length === 0) return 'messages: at least one message is required';
  if (json.max_tokens === undefined) return 'max_tokens: Field required';
  if (!Number.isInteger(json.max_tokens) || (json.max_tokens as number) < 1) return 'max_tokens: Input should be greater than or equal to 1';
  for (const [i, message] of json.messages.entries()) {
    const role = message && typeof message === 'object' ? (message as { role?: unknown }).role : undefined;
    if (role !== 'user' && role !== 'assistant') return `messages.${i}.role: Input should be 'user' or 'assistant'`;
  }
  return {
    model: json.model,
    maxTokens: json.max_tokens as number,
    stream: json.stream === true,
    usage: countInput(json.system, json.messages as { content?: unknown }[], json.model, request),
  };
}

/**
 * Input tokens by the char/4 rule, split by prompt caching: text up to the last `cache_control`
 * breakpoint is either written to the cache (creation) or read from it; the rest is plain input.
 */
function countInput(system: unknown, messages: readonly { content?: unknown }[], model: string, request: SimRequest): ParsedMessagesRequest['usage'] {
  const texts: string[] = [];
  let breakpoint = -1;
  const visit = (content: unknown): void => {
    if (typeof content === 'string') {
      texts.push(content);
      return;
    }
    if (!Array.isArray(content)) return;
    for (const block of content) {
      if (!block || typeof block !== 'object') continue;
      const text = (block as { text?: unknown }).text;
      texts.push(typeof text === 'string' ? text : '');
      if ((block as { cache_control?: unknown }).cache_control) breakpoint = texts.length - 1;
    }
  };
  visit(system);
  for (const message of messages) visit(message.content);
  let totalChars = 0;
  for (const text of texts) totalChars += text.length;
  const total = Math.ceil(totalChars / CHARS_PER_TOKEN);
  if (breakpoint < 0) return { input_tokens: total, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  const prefix = texts.slice(0, breakpoint + 1);
  let prefixChars = 0;
  for (const text of prefix) prefixChars += text.length;
  const cached = Math.min(total, Math.ceil(prefixChars / CHARS_PER_TOKEN));
  if (cached < MIN_CACHEABLE_TOKENS) return { input_tokens: total, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  const hit = request.engine.promptCache.lookup(`${model}\u0000${prefix.join('\u0001')}`);
  return {
    input_tokens: total - cached,
    cache_creation_input_tokens: hit ? 0 : cached,
    cache_read_input_tokens: hit ? cached : 0,
  };
}
