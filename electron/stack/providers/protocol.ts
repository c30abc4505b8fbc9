import type { ProviderError } from './provider-error';
import type { ChatRequest, ProviderName, Usage } from './provider-types';
import type { SseEvent } from './sse-parser';

/** What a provider's answer boils down to, however it arrived. */
export interface ParsedAnswer {
  text: string;
  finishReason: string | null;
  usage: Usage | null;
  id: string | null;
}

/** Collects a streamed answer event by event. */
export interface StreamAccumulator {
  /**
   * Takes one SSE event; returns text to pass on (may be ''), or a ProviderError for an error event.
   * Throws nothing: malformed events come back as errors too.
   */
  accept(event: SseEvent): { delta: string } | { error: ProviderError };
  /** The provider's end-of-stream marker was seen. */
  readonly complete: boolean;
  answer(): ParsedAnswer;
}

/** The provider-specific half of a call: headers, body, and how to read the answer. */
export interface ProviderProtocol {
  readonly provider: ProviderName;
  headers(apiKey: string): Record<string, string>;
  body(request: ChatRequest): string;
  /** Undefined when the JSON is not this provider's answer shape. */
  parseAnswer(json: unknown): ParsedAnswer | undefined;
  stream(headers: Record<string, string>, scrub: (text: string) => string): StreamAccumulator;
}

export function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

export function obj(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
