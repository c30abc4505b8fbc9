import { badResponse, classifyStreamError } from './classify-error';
import { num, obj, type ParsedAnswer, type ProviderProtocol, type StreamAccumulator } from './protocol';
import type { ChatRequest, Usage } from './provider-types';

export interface AnthropicProtocolOptions {
  /** The anthropic-version header (the API requires one). */
  version?: string;
}

/** Anthropic Messages. System messages are joined into the top-level `system` parameter. */
export function anthropicProtocol(options: AnthropicProtocolOptions = {}): ProviderProtocol {
  const version = options.version ?? '2023-06-01';
  return {
    provider: 'anthropic',
    headers: (apiKey) => ({ 'x-api-key': apiKey, 'anthropic-version': version, 'content-type': 'application/json', accept: 'application/json' }),
    body: (request: ChatRequest) => {
      const system = request.messages.filter((m) => m.role === 'system').map((m) => m.content);
      return JSON.stringify({
        model: request.model,
        max_tokens: request.maxTokens,
        ...(system.length > 0 ? { system: system.join('\n\n') } : {}),
        messages: request.messages.filter((m) => m.role !== 'system').map((m) => ({ role: m.role, content: m.content })),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        ...(request.stream ? { stream: true } : {}),
      });
    },
    parseAnswer: (json) => {
      const root = obj(json);
      if (!root || root.type !== 'message' || !Array.isArray(root.content)) return undefined;
      let text = '';
      for (const block of root.content) {
        const b = obj(block);
        if (b?.type === 'text' && typeof b.text === 'string') text += b.text;
      }
      return {
        text,
        finishReason: typeof root.stop_reason === 'string' ? root.stop_reason : null,
        usage: anthropicUsage(root.usage, undefined),
        id: typeof root.id === 'string' ? root.id : null,
      };
    },
    stream: (headers, scrub): StreamAccumulator => {
      let text = '';
      let finishReason: string | null = null;
      let startUsage: Usage | null = null;
      let outputTokens: number | undefined;
      let id: string | null = null;
      let complete = false;
      return {
        get complete() {
          return complete;
        },
        accept(event) {
          let json: Record<string, unknown> | undefined;
          try {
            json = obj(JSON.parse(event.data));
          } catch {
            return { error: badResponse('anthropic', 200, headers, `a stream event is not JSON: ${event.data.slice(0, 80)}`, scrub) };
          }
          const type = event.event !== 'message' ? event.event : String(json?.type ?? '');
          switch (type) {
            case 'message_start': {
              const message = obj(json?.message);
              id = typeof message?.id === 'string' ? message.id : null;
              startUsage = anthropicUsage(message?.usage, undefined);
              return { delta: '' };
            }
            case 'content_block_delta': {
              const delta = obj(json?.delta);
              if (delta?.type === 'text_delta' && typeof delta.text === 'string') {
                text += delta.text;
                return { delta: delta.text };
              }
              return { delta: '' };
            }
            case 'message_delta': {
              const stop = obj(json?.delta)?.stop_reason;
              if (typeof stop === 'string') finishReason = stop;
              const usage = obj(json?.usage);
              if (usage && typeof usage.output_tokens === 'number') outputTokens = usage.output_tokens;
              return { delta: '' };
            }
            case 'message_stop':
              complete = true;
              return { delta: '' };
            case 'error':
              return { error: classifyStreamError('anthropic', json, headers, scrub) };
            default:
              return { delta: '' }; // ping, content_block_start/stop, future event types
          }
        },
        answer: (): ParsedAnswer => ({
          text,
          finishReason,
          usage: startUsage ? { ...(startUsage as Usage), outputTokens: outputTokens ?? (startUsage as Usage).outputTokens } : null,
          id,
        }),
      };
    },
  };
}

function anthropicUsage(value: unknown, outputOverride: number | undefined): Usage | null {
  const usage = obj(value);
  if (!usage) return null;
  return {
    inputTokens: num(usage.input_tokens),
    outputTokens: outputOverride ?? num(usage.output_tokens),
    cacheReadTokens: num(usage.cache_read_input_tokens),
    cacheCreationTokens: num(usage.cache_creation_input_tokens),
  };
}
