import { describe, expect, it } from 'vitest';
import { redact } from './redact';

describe('redact', () => {
  it('masks the password inside connection URLs and keeps the rest readable', () => {
    expect(redact('connect postgres://app:s3cr%23t@db.internal:5432/rag failed')).toBe('connect postgres://app:****@db.internal:5432/rag failed');
  });

  it('masks key=value secrets, including prefixed environment names', () => {
    expect(redact('PGPASSWORD=hunter2 PGUSER=app')).toBe('PGPASSWORD=**** PGUSER=app');
    expect(redact('OPENAI_API_KEY=sk-abc and password: "pa ss"')).toContain('OPENAI_API_KEY=****');
    expect(redact('password: "quoted"')).toBe('password: "****"');
  });

  it('masks bearer tokens and provider keys wherever they appear', () => {
    expect(redact('Authorization: Bearer abcdefghijklmnop')).not.toContain('abcdefghijklmnop');
    expect(redact('key sk-proj-1234567890abcdef in message')).toBe('key sk-pr**** in message');
    expect(redact('key sk-ant-api03-abcdefghijklmnop')).not.toContain('abcdefghijklmnop');
  });

  it('leaves ordinary text alone', () => {
    const text = 'pool exhausted: 20 of 20 clients in use, 3 waiting for 1200 ms';
    expect(redact(text)).toBe(text);
  });
});
