/** The providers Bulkhead can call. `openai` covers every OpenAI-compatible endpoint. */
export type ProviderName = 'openai' | 'anthropic';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** One chat call, provider-neutral. System messages become Anthropic's `system` parameter. */
export interface ChatRequest {
  model: string;
  messages: readonly ChatMessage[];
  /** Upper bound on generated tokens; required because both limiters reserve it. */
  maxTokens: number;
  /** OpenAI only: number of choices (the TPM charge is max_tokens × n). Default 1. */
  n?: number;
  temperature?: number;
  /** Stream the answer over SSE (the result is still returned whole; onText sees it as it comes). */
  stream?: boolean;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Anthropic cache_read_input_tokens / OpenAI prompt_tokens_details.cached_tokens. */
  cacheReadTokens: number;
  /** Anthropic cache_creation_input_tokens (0 for OpenAI). */
  cacheCreationTokens: number;
}

export interface CallTimings {
  /** Request start → response headers. */
  ttfbMs: number;
  /** Request start → first text (streaming only). */
  firstTokenMs: number | null;
  /** Request start → body complete. */
  totalMs: number;
}

/** A successful call, normalized across providers. */
export interface ChatResult {
  provider: ProviderName;
  model: string;
  text: string;
  finishReason: string | null;
  /** Null when the provider did not report usage (some OpenAI-compatible servers omit it). */
  usage: Usage | null;
  status: number;
  /** Response headers, lower-case names (rate-limit headers included). */
  headers: Record<string, string>;
  requestId: string | null;
  timings: CallTimings;
  /** 1 + the retries the pipeline made. */
  attempts: number;
}

