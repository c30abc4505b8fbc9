import { BulkheadError } from '../errors';

/**
 * JSON.parse whose error says where the text breaks (line and column) but never what it says: V8's
 * own message quotes the text around the error ("Unexpected token 'r', "root:x:0:0:..." is not valid
 * JSON"), which turns a wrong path into a way to read any file.
 */
export function parseJsonText(text: string, what: string, code: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const where = locate(text, error);
    throw new BulkheadError(code, `${what} is not valid JSON${where}.`, {
      remedy: 'Fix the JSON syntax there (a trailing comma, a missing quote or a comment are the usual causes).',
    });
  }
}

function locate(text: string, error: unknown): string {
  if (text.trim() === '') return ' (the file is empty)';
  const offset = errorOffset(text, error);
  if (offset === null) return '';
  if (offset >= text.length) return ' (it ends early)';
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return ` (line ${line}, column ${column})`;
}

/**
 * Where the text breaks. V8 names a position for most errors but not for an unexpected token, so then
 * the shortest prefix that already fails for a reason other than ending early is found by bisection
 * (a prefix of good JSON only ever fails by ending early).
 */
function errorOffset(text: string, error: unknown): number | null {
  const stated = positionIn(error);
  if (stated !== null) return stated;
  if (/end of JSON input/i.test(error instanceof Error ? error.message : '')) return text.length;
  const failsInside = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (prefixError) {
      const at = positionIn(prefixError);
      if (at !== null) return at < length;
      return !/end of JSON input/i.test(prefixError instanceof Error ? prefixError.message : '');
    }
  };
  let low = 0;
  let high = text.length;
  if (!failsInside(high)) return null;
  while (low + 1 < high) {
    const middle = (low + high) >>> 1;
    if (failsInside(middle)) high = middle;
    else low = middle;
  }
  return high - 1;
}

function positionIn(error: unknown): number | null {
  const match = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  return match ? Number(match[1]) : null;
}
