import { describe, expect, it } from 'vitest';
import { parseJsonText } from './json-text';

function messageOf(text: string): string {
  try {
    parseJsonText(text, 'the file', 'BAD_JSON');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a failure');
}

describe('parseJsonText', () => {
  it.each([
    ['root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin', '(line 1, column 1)'],
    ['{\n  "name": "x",\n  "rate": secret-value\n}', '(line 3, column 11)'],
    ['{"a": 1,}', '(line 1, column 9)'],
    ['{"a": tru}', '(line 1, column 10)'],
    ['[1, 2', '(it ends early)'],
    ['', '(the file is empty)'],
    ['{"a": 1} trailing-secret', '(line 1, column 10)'],
  ])('says where %j breaks without quoting it', (text, where) => {
    const message = messageOf(text);
    expect(message).toBe(`the file is not valid JSON ${where}.`);
    for (const word of ['root', 'daemon', 'secret', 'tru', 'trailing']) expect(message).not.toContain(word);
  });

  it('parses good JSON, deep nesting included', () => {
    expect(parseJsonText('{"a":[1,{"b":null}]}', 'x', 'BAD')).toEqual({ a: [1, { b: null }] });
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    expect(() => parseJsonText(deep, 'x', 'BAD')).not.toThrow();
  });
});
