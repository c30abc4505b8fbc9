import { estimatePromptTokens } from '../providers/token-estimate';
import type { ProviderName } from '../providers/provider-types';

/** What the governed fetch reads from an SDK's request body before sending it. */
export interface RequestDemand {
  model: string;
  estimatedInputTokens: number;
  /** max_tokens (or max_completion_tokens / max_output_tokens) × n: what the answer may use at most. */
  maxOutputTokens: number;
  stream: boolean;
}

/** When a request sets no max_tokens (OpenAI allows that), the limiter reserves this many output tokens. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 1024;

/**
 * Reads model, prompt size, output bound and streaming from a JSON body as the official SDKs send it
 * (OpenAI chat completions and responses, Anthropic messages). A body that is not JSON (file uploads)
 * or a GET counts as one request and no tokens.
 */
export function demandOf(provider: ProviderName, bodyText: string | null): RequestDemand {
  const none: RequestDemand = { model: '', estimatedInputTokens: 0, maxOutputTokens: 0, stream: false };
  if (bodyText === null || bodyText === '') return none;
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return none;
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return none;
  const body = json as Record<string, unknown>;
  const messages = Array.isArray(body.messages) ? (body.messages as { content?: unknown }[]) : [];
  // The Responses API's `input` is a string or a list of messages; Anthropic's `system` a string or parts.
  const input = typeof body.input === 'string' ? [{ content: body.input }] : Array.isArray(body.input) ? (body.input as { content?: unknown }[]) : [];
  const system = body.system ?? body.instructions;
  const bound = firstNumber(body.max_tokens, body.max_completion_tokens, body.max_output_tokens);
  const n = provider === 'openai' && typeof body.n === 'number' && body.n >= 1 ? Math.floor(body.n) : 1;
  return {
    model: typeof body.model === 'string' ? body.model : '',
    estimatedInputTokens: estimatePromptTokens([...messages, ...input], system),
    maxOutputTokens: (bound ?? DEFAULT_MAX_OUTPUT_TOKENS) * n,
    stream: body.stream === true,
  };
}

function firstNumber(...values: unknown[]): number | null {
  for (const value of values) if (typeof value === 'number' && Number.isFinite(value) && value > 0) return Math.floor(value);
  return null;
}
