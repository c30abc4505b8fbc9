/**
 * Anthropic Messages wire shapes: the error envelope `{"type":"error","error":{...},"request_id"}`,
 * the `message` body, and the named SSE events of a streamed message.
 */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string; details?: { error_code: string } };
  request_id?: string;
}

export function anthropicError(type: string, message: string, requestId?: string, details?: { error_code: string }): AnthropicErrorBody {
  return { type: 'error', error: details ? { type, message, details } : { type, message }, ...(requestId ? { request_id: requestId } : {}) };
}

export const ANTHROPIC_MESSAGES = {
  missingKey: 'x-api-key header is required',
  badJson: 'There was an error parsing the body of your request. Please ensure the body is valid JSON.',
  overloaded: 'Overloaded',
  server: 'Internal server error',
  tooBig: 'Request exceeds the maximum allowed number of bytes.',
  spendLimit:
    'You have reached your specified workspace API usage limits. You will regain access on the first day of next month at 00:00 UTC.',
} as const;

export interface AnthropicUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

export type StopReason = 'end_turn' | 'max_tokens';

export function messageBody(id: string, model: string, text: string, stopReason: StopReason, usage: AnthropicUsage): string {
  return JSON.stringify({
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text }],
    stop_reason: stopReason,
    stop_sequence: null,
    usage,
  });
}

function sse(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}

/** The event sequence of a streamed message, in Anthropic's order. */
export const anthropicEvents = {
  messageStart(id: string, model: string, usage: AnthropicUsage): string {
    const message = { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage };
    return sse('message_start', JSON.stringify({ type: 'message_start', message }));
  },
  contentBlockStart(): string {
    return sse('content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}');
  },
  ping(): string {
    return sse('ping', '{"type": "ping"}');
  },
  textDelta(text: string): string {
    return sse('content_block_delta', `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":${JSON.stringify(text)}}}`);
  },
  contentBlockStop(): string {
    return sse('content_block_stop', '{"type":"content_block_stop","index":0}');
  },
  messageDelta(stopReason: StopReason, outputTokens: number): string {
    return sse('message_delta', `{"type":"message_delta","delta":{"stop_reason":"${stopReason}","stop_sequence":null},"usage":{"output_tokens":${outputTokens}}}`);
  },
  messageStop(): string {
    return sse('message_stop', '{"type":"message_stop"}');
  },
  error(body: AnthropicErrorBody): string {
    return sse('error', JSON.stringify({ type: 'error', error: body.error }));
  },
};
