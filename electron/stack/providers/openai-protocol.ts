import { badResponse, classifyStreamError } from './classify-error';
import { num, obj, type ParsedAnswer, type ProviderProtocol, type StreamAccumulator } from './protocol';
import type { ChatRequest, Usage } from './provider-types';

export interface OpenAIProtocolOptions {
  /** Newer OpenAI models want max_completion_tokens; most compatible servers know only max_tokens. */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
  /** Ask for the final usage chunk when streaming (stream_options.include_usage). Default true. */
  includeUsageInStream?: boolean;
}

/** OpenAI chat completions, and every server that speaks it. */
export function openAIProtocol(options: OpenAIProtocolOptions = {}): ProviderProtocol {
  const maxField = options.maxTokensField ?? 'max_tokens';
  const includeUsage = options.includeUsageInStream ?? true;
  return {
    provider: 'openai',
    headers: (apiKey) => ({ authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', accept: 'application/json' }),
    body: (request: ChatRequest) =>
      JSON.stringify({
        model: request.model,
        messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
        [maxField]: request.maxTokens,
        ...(request.n !== undefined && request.n !== 1 ? { n: request.n } : {}),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        ...(request.stream ? { stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}) } : {}),
      }),
    parseAnswer: (json) => {
      const root = obj(json);
      const choices = root?.choices;
      if (!root || !Array.isArray(choices)) return undefined;
      const first = obj(choices[0]);
      const message = obj(first?.message);
      return {
        text: typeof message?.content === 'string' ? message.content : '',
        finishReason: typeof first?.finish_reason === 'string' ? first.finish_reason : null,
        usage: openAIUsage(root.usage),
        id: typeof root.id === 'string' ? root.id : null,
      };
    },
    stream: (headers, scrub): StreamAccumulator => {
      let text = '';
      let finishReason: string | null = null;
      let usage: Usage | null = null;
      let id: string | null = null;
      let complete = false;
      return {
        get complete() {
          return complete;
        },
        accept(event) {
          if (event.data === '[DONE]') {
            complete = true;
            return { delta: '' };
          }
          let json: unknown;
          try {
            json = JSON.parse(event.data);
          } catch {
            return { error: badResponse('openai', 200, headers, `a stream line is not JSON: ${event.data.slice(0, 80)}`, scrub) };
          }
          const chunk = obj(json);
          if (chunk?.error) return { error: classifyStreamError('openai', chunk, headers, scrub) };
          if (typeof chunk?.id === 'string') id = chunk.id;
          if (chunk?.usage) usage = openAIUsage(chunk.usage);
          let delta = '';
          for (const entry of Array.isArray(chunk?.choices) ? chunk.choices : []) {
            const choice = obj(entry);
            // Only the first choice is collected; n > 1 streams are accepted but reduced to choice 0.
            if (!choice || num(choice.index) !== 0) continue;
            const content = obj(choice.delta)?.content;
            if (typeof content === 'string') delta += content;
            if (typeof choice.finish_reason === 'string') finishReason = choice.finish_reason;
          }
          text += delta;
          return { delta };
        },
        answer: (): ParsedAnswer => ({ text, finishReason, usage, id }),
      };
    },
  };
}

function openAIUsage(value: unknown): Usage | null {
  const usage = obj(value);
  if (!usage) return null;
  return {
    inputTokens: num(usage.prompt_tokens),
    outputTokens: num(usage.completion_tokens),
    cacheReadTokens: num(obj(usage.prompt_tokens_details)?.cached_tokens),
    cacheCreationTokens: 0,
  };
}
