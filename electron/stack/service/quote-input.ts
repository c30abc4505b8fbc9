/** How much of a caller's string an error message repeats back. */
export const QUOTE_MAX_CHARS = 64;

// C0/C1 controls, zero-widths, line/paragraph separators and bidi overrides: matching them is the point.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

/**
 * Text a caller chose, made safe to repeat in a message or a log line: unsafe characters become '?'
 * (so it cannot forge log lines or reorder what is shown) and it is cut to `max` characters.
 */
export function sanitizeText(text: string, max: number): string {
  const { shown, total } = cut(text, max);
  return total > max ? `${shown}… (${total} characters)` : shown;
}

function cut(text: string, max: number): { shown: string; total: number } {
  const chars = [...text.replace(UNSAFE_CHARS, '?')];
  return { shown: chars.slice(0, max).join(''), total: chars.length };
}

/**
 * Describes a value a caller sent, for an error message, without serialising it: a string is quoted
 * and sanitised; anything else is named by its type. Never recursive, so no input can make it throw or
 * run long (`JSON.stringify` of a 5,000-deep array overflows the stack; of a 1 MB string it echoes 1 MB).
 */
export function quoteInput(value: unknown, max = QUOTE_MAX_CHARS): string {
  if (typeof value === 'string') {
    const { shown, total } = cut(value, max);
    return total > max ? `"${shown}…" (${total} characters)` : `"${shown}"`;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'undefined') return 'nothing';
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${typeof value} ${String(value)}`;
  return `a ${typeof value}`;
}
