import { anthropicProtocol } from '../providers/anthropic-protocol';
import { openAIProtocol } from '../providers/openai-protocol';
import type { ProviderProtocol } from '../providers/protocol';
import type { ProviderError } from '../providers/provider-error';
import type { ProviderName, Usage } from '../providers/provider-types';
import { SseParser } from '../providers/sse-parser';
import { CHARS_PER_TOKEN } from '../providers/token-estimate';

/** Where a call's reconciled token count came from. */
export type UsageSource = 'response' | 'stream-end' | 'estimate' | 'none';

export interface TapCallbacks {
  /** The answer is complete (or the caller stopped reading): reconcile with this usage. */
  onUsage(usage: Usage | null, source: UsageSource): void;
  /** The body failed while being read (connection lost mid-stream). */
  onBodyError(error: unknown): void;
  /** An error event inside a 200 stream (Anthropic `overloaded_error`, …): the limiter reacts to it. */
  onStreamError(error: ProviderError): void;
}

const identity = (text: string): string => text;

function protocolFor(provider: ProviderName): ProviderProtocol {
  return provider === 'openai' ? openAIProtocol() : anthropicProtocol();
}

/** Usage from a whole JSON answer (chat completion, response, message); null when it reports none. */
export function usageOfJson(provider: ProviderName, text: string): Usage | null {
  try {
    return protocolFor(provider).parseAnswer(JSON.parse(text))?.usage ?? null;
  } catch {
    return null;
  }
}

/**
 * Passes an SSE body through unchanged while reading its events on the side: the final usage (OpenAI's
 * `include_usage` chunk, Anthropic's message_start + message_delta) settles the reservation when the
 * stream ends. A stream without usage is settled on the estimate (prompt estimate + streamed text / 4);
 * a stream the caller cancels keeps its reservation as charged (the provider counted it anyway).
 */
export function tapStream(provider: ProviderName, body: ReadableStream<Uint8Array>, headers: Record<string, string>, estimatedInputTokens: number, callbacks: TapCallbacks): ReadableStream<Uint8Array> {
  const accumulator = protocolFor(provider).stream(headers, identity);
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let streamedChars = 0;
  let settled = false;
  const take = (text: string): void => {
    for (const event of parser.push(text)) {
      const outcome = accumulator.accept(event);
      if ('error' in outcome) callbacks.onStreamError(outcome.error);
      else streamedChars += outcome.delta.length;
    }
  };
  const finish = (): void => {
    if (settled) return;
    settled = true;
    take(decoder.decode());
    for (const event of parser.end()) accumulator.accept(event);
    const usage = accumulator.complete ? accumulator.answer().usage : null;
    if (usage) callbacks.onUsage(usage, 'stream-end');
    else callbacks.onUsage({ inputTokens: estimatedInputTokens, outputTokens: Math.ceil(streamedChars / CHARS_PER_TOKEN), cacheReadTokens: 0, cacheCreationTokens: 0 }, 'estimate');
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (!settled) {
          settled = true;
          callbacks.onBodyError(error);
        }
        controller.error(error);
        return;
      }
      if (chunk.done) {
        finish();
        controller.close();
        return;
      }
      try {
        take(decoder.decode(chunk.value, { stream: true }));
      } catch {
        // Reading usage on the side must never break the caller's stream.
      }
      controller.enqueue(chunk.value);
    },
    async cancel(reason) {
      if (!settled) {
        settled = true;
        callbacks.onUsage(null, 'none');
      }
      await reader.cancel(reason);
    },
  });
}
