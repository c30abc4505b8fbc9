import { estimatePromptTokens } from '../token-estimate';
import { answerLength, generateText, type GeneratedText } from './text-generator';
import { answerDelay, firstByteDelay, parseJsonObject, pause, requestApiKey, sendJson, startSse, streamPieces, type SimRequest } from './sim-http';
import { chatCompletionBody, ChunkWriter, invalidParam, OPENAI_ERRORS, openAIUsage, type GeneratedChoice, type OpenAIErrorBody } from './openai-wire';

interface ParsedChatRequest {
  model: string;
  messages: { content?: unknown }[];
  maxTokens: number | undefined;
  n: number;
  stream: boolean;
  includeUsage: boolean;
}

/** POST /v1/chat/completions: auth → parse → validate → limits → faults → answer (JSON or SSE). */
export async function handleChatCompletions(request: SimRequest): Promise<void> {
  const { engine, res } = request;
  const send = (status: number, body: OpenAIErrorBody, headers: Record<string, string> = {}): void => {
    sendJson(res, status, { ...headers, 'x-request-id': `req_${request.tag}` }, JSON.stringify(body), engine);
  };
  if (!requestApiKey(request.req)) return send(401, OPENAI_ERRORS.missingKey);
  const json = parseJsonObject(request.body);
  if (!json) return send(400, OPENAI_ERRORS.badJson);
  const parsed = parseChatRequest(json);
  if ('error' in parsed) return send(400, parsed.error);

  if (engine.faults.hits('overload', request.random.next)) {
    engine.stats.fault('overload');
    return send(503, OPENAI_ERRORS.overloaded);
  }
  const now = engine.clock.now();
  const prompt = estimatePromptTokens(parsed.messages);
  // FACTS: charged up front at max(max_tokens × n, character-based prompt estimate).
  const charge = Math.max((parsed.maxTokens ?? 0) * parsed.n, prompt);
  const admission = engine.openai.admit(parsed.model, charge, now);
  if (!admission.ok) return send(429, admission.body, admission.headers);
  const serverError = engine.faults.hits('server-error', request.random.next);
  if (serverError) {
    engine.stats.fault('server-error');
    return send(serverError.status, OPENAI_ERRORS.server, admission.headers);
  }

  const { min, max } = { min: engine.live.output.minTokens, max: engine.live.output.maxTokens };
  const answers: { generated: GeneratedText; choice: GeneratedChoice }[] = [];
  for (let i = 0; i < parsed.n; i++) {
    const length = answerLength(request.random, min, max, parsed.maxTokens);
    const generated = generateText(request.random, length.tokens);
    answers.push({ generated, choice: { text: generated.text, tokens: generated.tokens, finishReason: length.truncated ? 'length' : 'stop' } });
  }
  const completionTokens = answers.reduce((sum, answer) => sum + answer.choice.tokens, 0);
  const usage = openAIUsage(prompt, completionTokens);
  const id = `chatcmpl-${request.tag}`;
  const created = Math.floor(now / 1000);
  const longest = Math.max(...answers.map((answer) => answer.choice.tokens));
  // One draw of the latency model per request, so the header and the actual wait agree.
  const delay = parsed.stream ? firstByteDelay(request) : answerDelay(request, longest);
  const headers: Record<string, string> = {
    ...admission.headers,
    'x-request-id': `req_${request.tag}`,
    'openai-version': '2020-10-01',
    'openai-processing-ms': String(Math.round(delay)),
  };

  if (!parsed.stream) {
    if (!(await pause(request, delay))) return;
    sendJson(res, 200, headers, chatCompletionBody(id, created, parsed.model, answers.map((a) => a.choice), usage), engine);
    return;
  }

  if (!(await pause(request, delay))) return;
  startSse(res, headers, engine);
  const writer = new ChunkWriter(id, created, parsed.model, parsed.includeUsage);
  const streamError = engine.faults.hits('stream-error', request.random.next);
  for (let index = 0; index < answers.length; index++) {
    const answer = answers[index];
    if (!answer) continue;
    res.write(writer.role(index));
    const pieces = answer.generated.pieces;
    const stopAfter = streamError ? Math.floor(pieces.length / 2) : pieces.length;
    const sent = await streamPieces(request, pieces, (piece) => writer.content(index, piece), stopAfter);
    if (res.destroyed || sent < stopAfter) return;
    if (streamError) {
      engine.stats.fault('stream-error');
      res.end(writer.error(OPENAI_ERRORS.server));
      return;
    }
    res.write(writer.finish(index, answer.choice.finishReason));
  }
  res.end(`${parsed.includeUsage ? writer.usage(usage) : ''}${writer.done()}`);
}

function parseChatRequest(json: Record<string, unknown>): ParsedChatRequest | { error: OpenAIErrorBody } {
  if (typeof json.model !== 'string' || json.model === '') return { error: OPENAI_ERRORS.missingModel };
  if (json.messages === undefined) return { error: OPENAI_ERRORS.missingMessages };
  if (!Array.isArray(json.messages) || json.messages.length === 0) {
    return { error: invalidParam('messages', "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.") };
  }
  for (const [i, message] of json.messages.entries()) {
    if (!message || typeof message !== 'object' || typeof (message as { role?: unknown }).role !== 'string') {
      return { error: invalidParam(`messages.[${i}].role`, `Missing required parameter: 'messages.[${i}].role'.`) };
    }
  }
  const rawMax = json.max_completion_tokens ?? json.max_tokens;
  const maxName = json.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens';
  if (rawMax !== undefined && rawMax !== null && (!Number.isInteger(rawMax) || (rawMax as number) < 1)) {
    return { error: invalidParam(maxName, `Invalid '${maxName}': integer below minimum value. Expected a value >= 1, but got ${JSON.stringify(rawMax)} instead.`) };
  }
  const n = json.n ?? 1;
  if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > 128) {
    return { error: invalidParam('n', `Invalid 'n': expected an integer between 1 and 128, but got ${JSON.stringify(n)} instead.`) };
  }
  const options = json.stream_options;
  return {
    model: json.model,
    messages: json.messages as { content?: unknown }[],
    maxTokens: rawMax === undefined || rawMax === null ? undefined : (rawMax as number),
    n: n as number,
    stream: json.stream === true,
    includeUsage: Boolean(options && typeof options === 'object' && (options as { include_usage?: unknown }).include_usage === true),
  };
}
