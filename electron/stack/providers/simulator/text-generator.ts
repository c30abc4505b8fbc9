import type { Random } from './prng';

// Three-letter words: with the leading space each piece is exactly 4 characters, i.e. one token by
// the char/4 rule, so the usage the simulator reports equals our own estimate of its text.
const WORDS = [
  'the', 'and', 'for', 'are', 'but', 'not', 'you', 'all', 'any', 'can', 'had', 'her', 'was', 'one',
  'our', 'out', 'day', 'get', 'has', 'him', 'his', 'how', 'man', 'new', 'now', 'old', 'see', 'two',
  'way', 'who', 'did', 'its', 'let', 'put', 'say', 'she', 'too', 'use', 'row', 'key', 'log', 'map',
  'set', 'sum', 'top', 'end', 'run', 'job', 'db0', 'sql', 'api', 'ack', 'ask', 'fit', 'few', 'big',
].map((word) => ` ${word}`);

export interface GeneratedText {
  /** Pieces as they are streamed; joined they form the answer. */
  readonly pieces: readonly string[];
  readonly text: string;
  readonly tokens: number;
}

/**
 * Deterministic filler text of exactly `tokens` tokens (by the char/4 rule). The first piece loses its
 * leading space and the answer ends with a full stop, which keeps the character count at 4 × tokens.
 */
export function generateText(random: Random, tokens: number): GeneratedText {
  const pieces: string[] = new Array<string>(tokens);
  for (let i = 0; i < tokens; i++) pieces[i] = WORDS[random.int(0, WORDS.length - 1)] ?? ' the';
  if (tokens > 0) {
    const first = (pieces[0] ?? ' the').slice(1);
    pieces[0] = first.charAt(0).toUpperCase() + first.slice(1);
    pieces[tokens - 1] = `${pieces[tokens - 1] ?? ''}.`;
  }
  return { pieces, text: pieces.join(''), tokens };
}

/** How many tokens to answer with: seeded within [min, max], clipped by the request's max_tokens. */
export function answerLength(random: Random, min: number, max: number, maxTokens: number | undefined): { tokens: number; truncated: boolean } {
  const wanted = random.int(min, max);
  if (maxTokens !== undefined && maxTokens < wanted) return { tokens: maxTokens, truncated: true };
  return { tokens: wanted, truncated: false };
}
