/**
 * OpenAI chat-completions wire shapes, as the real API writes them: error envelopes, the
 * `chat.completion` body, and `chat.completion.chunk` SSE lines. Streaming lines are built from
 * precomputed prefixes because they are the simulator's hottest path.
 */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function openAIError(message: string, type: string, param: string | null, code: string | null): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}

export const OPENAI_ERRORS = {
  missingKey: openAIError(
    "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
    'invalid_request_error', null, null),
  badJson: openAIError(
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
    'invalid_request_error', null, null),
  missingModel: openAIError('you must provide a model parameter', 'invalid_request_error', null, null),
  missingMessages: openAIError("Missing required parameter: 'messages'.", 'invalid_request_error', 'messages', 'missing_required_parameter'),
  server: openAIError('The server had an error while processing your request. Sorry about that!', 'server_error', null, null),
  overloaded: openAIError('The engine is currently overloaded, please try again later.', 'server_error', null, null),
  tooBig: openAIError('The request body is too large.', 'invalid_request_error', null, null),
} as const;

export function invalidParam(param: string, message: string): OpenAIErrorBody {
  return openAIError(message, 'invalid_request_error', param, 'invalid_value');
}

export function invalidUrl(method: string, path: string): OpenAIErrorBody {
  return openAIError(`Invalid URL (${method} ${path})`, 'invalid_request_error', null, null);
}

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
  completion_tokens_details: { reasoning_tokens: number; audio_tokens: number; accepted_prediction_tokens: number; rejected_prediction_tokens: number };
}

export function openAIUsage(prompt: number, completion: number): OpenAIUsage {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

export interface GeneratedChoice {
  text: string;
  tokens: number;
  finishReason: 'stop' | 'length';
}

export function chatCompletionBody(id: string, created: number, model: string, choices: readonly GeneratedChoice[], usage: OpenAIUsage): string {
  return JSON.stringify({
    id,
    object: 'chat.completion',
    created,
    model,
    choices: choices.map((choice, index) => ({
      index,
      message: { role: 'assistant', content: choice.text, refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: choice.finishReason,
    })),
    usage,
    service_tier: 'default',
    system_fingerprint: 'fp_bulkhead_sim',
  });
}

/** Builds the `data: {...}` lines of one streamed completion. */
export class ChunkWriter {
  private readonly head: string;
  private readonly usageField: string;

  constructor(id: string, created: number, model: string, includeUsage: boolean) {
    this.head = `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(model)},"service_tier":"default","system_fingerprint":"fp_bulkhead_sim","choices":[`;
    // With include_usage every chunk carries "usage":null and one last chunk carries the totals.
    this.usageField = includeUsage ? ',"usage":null' : '';
  }

  role(index: number): string {
    return `${this.head}{"index":${index},"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]${this.usageField}}\n\n`;
  }

  content(index: number, text: string): string {
    return `${this.head}{"index":${index},"delta":{"content":${JSON.stringify(text)}},"logprobs":null,"finish_reason":null}]${this.usageField}}\n\n`;
  }

  finish(index: number, reason: string): string {
    return `${this.head}{"index":${index},"delta":{},"logprobs":null,"finish_reason":"${reason}"}]${this.usageField}}\n\n`;
  }

  usage(usage: OpenAIUsage): string {
    return `${this.head}],"usage":${JSON.stringify(usage)}}\n\n`;
  }

  /** How OpenAI reports a failure after the stream started: an `error` object in a data line. */
  error(body: OpenAIErrorBody): string {
    return `data: ${JSON.stringify(body)}\n\n`;
  }

  done(): string {
    return 'data: [DONE]\n\n';
  }
}
