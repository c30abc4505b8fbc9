/**
 * The one token estimate Bulkhead uses before a provider has counted: ceil(characters / 4), the usual
 * rule of thumb for English text with GPT- and Claude-family tokenizers. It is deliberately simple and
 * cheap; the simulator counts with the same rule so its usage numbers and our estimates agree, and
 * real providers' usage replaces the estimate when a response reports it.
 */
export const CHARS_PER_TOKEN = 4;

/** A chat message content as both APIs accept it: a string or an array of typed parts. */
export type MessageContent = string | readonly unknown[] | null | undefined;

/** Characters of text in a content value; non-text parts (images, tool calls) count as nothing. */
export function contentChars(content: unknown): number {
  if (typeof content === 'string') return content.length;
  if (!Array.isArray(content)) return 0;
  let chars = 0;
  for (const part of content) {
    if (typeof part === 'string') chars += part.length;
    else if (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') {
      chars += (part as { text: string }).text.length;
    }
  }
  return chars;
}

/** Estimated prompt tokens of a message list (plus an optional system prompt), by the char rule. */
export function estimatePromptTokens(messages: readonly { content?: unknown }[], system?: unknown): number {
  let chars = contentChars(system);
  for (const message of messages) chars += contentChars(message.content);
  return Math.ceil(chars / CHARS_PER_TOKEN);
}
