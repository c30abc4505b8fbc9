import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';
import { redact } from './redact';

/**
 * Values that look like secrets are masked; words that merely follow a key-like name are not. Each
 * "must not mask" line is a format the code base writes today (logger lines, error codes with their
 * messages, doctor evidence, CLI usage errors, run records), so an over-eager rule shows up here.
 */

const MUST_MASK: [string, string, string][] = [
  ['URL password', 'connect postgres://app:s3cr%23t@db.internal:5432/rag failed', 'connect postgres://app:****@db.internal:5432/rag failed'],
  ['URL password with unencoded @ / # (issue 9 item 9)', "DATABASE_URL='postgres://u:p@ss:w/rd#1@127.0.0.1:5432/db'", "DATABASE_URL='postgres://u:****@127.0.0.1:5432/db'"],
  ['URL password in a usage error (issue 9 item 6)', '--provider-url ftp://user:Secr3tPw@files.example.com/v1 is bad', '--provider-url ftp://user:****@files.example.com/v1 is bad'],
  ['env assignment', 'PGPASSWORD=hunter2 PGUSER=app', 'PGPASSWORD=**** PGUSER=app'],
  ['env assignment of an API key', 'OPENAI_API_KEY=sk-abc and more', 'OPENAI_API_KEY=**** and more'],
  ['YAML-style label', 'DB_PASSWORD: hunter2', 'DB_PASSWORD: ****'],
  ['a plain word that ends the line', 'password: hunter', 'password: ****'],
  ['quoted label value', 'password: "pa ss"', 'password: "****"'],
  ['JSON field', '{"password":"hunter2","user":"app"}', '{"password":"****","user":"app"}'],
  ['camelCase JSON field', '{"apiKey": "abc123def456", "model": "x"}', '{"apiKey": "****", "model": "x"}'],
  ['query parameter', 'postgres://h/db?sslmode=require&password=hunter2&application_name=x', 'postgres://h/db?sslmode=require&password=****&application_name=x'],
  ['token in a URL query', 'GET /?token=0f3a9c2b7d1e4f5a6b8c9d0e1f2a3b4c HTTP/1.1', 'GET /?token=**** HTTP/1.1'],
  ['bearer header', 'Authorization: Bearer abcdefghijklmnop1', 'Authorization: Bearer ****'],
  ['basic header', 'authorization: Basic dXNlcjpwYXNzd29yZA==', 'authorization: Basic ****'],
  ['x-api-key header with a non-provider key', 'x-api-key: custom-proxy-key-123', 'x-api-key: ****'],
  ['client secret', 'client_secret=xyz', 'client_secret=****'],
  ['OpenAI key anywhere', 'key sk-proj-1234567890abcdef in message', 'key sk-pr**** in message'],
  ['Anthropic key anywhere', 'key sk-ant-api03-abcdefghijklmnop leaked', 'key sk-ant-ap**** leaked'],
  ['GitHub token', 'token ghp_abcdefghijklmnopqrstuvwxyz0123456789 here', 'token ghp_**** here'],
  ['AWS access key id', 'aws AKIAIOSFODNN7EXAMPLE', 'aws AKIA****'],
  ['JWT', 'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'jwt ****'],
  ['long random string', 'secret kE8nB3q9Zx1LmP0tR7vW2yU5aS4dF6gH8jK0lQ2w end', 'secret **** end'],
  ['cookie header', 'cookie: bulkhead_41517=abcdef0123456789', 'cookie: ****'],
];

const MUST_NOT_MASK: [string, string][] = [
  ['an error code and its sentence (issue 9 item 7)', 'provider.missing_api_key: No openai API key is configured.'],
  ['a logger line with a cause chain', '2026-11-29T10:00:00.000Z INFO  [stress] stress run run-20261129-100000-ab12cd failed — provider.missing_api_key: No openai API key is configured.'],
  ['a stress start log line', '2026-11-29T10:00:00.000Z INFO  [stress] stress run run-20261129-100000-ab12cd: light, governed, 60 requests over 30 s'],
  ['the key binding refusal', 'provider.key_origin_mismatch: The saved openai key is bound to https://api.openai.com (by the official API); it is never sent to http://127.0.0.1:41234, which providerUrl names.'],
  ['a secrets file error', 'secrets.unreadable: The secrets file /home/me/.config/Bulkhead/secrets.json is not valid JSON.'],
  ['doctor auth prose', 'the server asks for a password and none was given'],
  ['a PostgreSQL error', 'password authentication failed for user "app" (28P01)'],
  ['doctor url evidence', 'a password is given (DATABASE_URL (environment))'],
  ['doctor env evidence, already masked', 'PGPASSWORD = ****   (from environment)'],
  ['the corpus log line', 'RAG corpus: 320 added, 0 updated, 0 unchanged, 0 removed in 812 ms'],
  ['the database state log line', 'RAG database: ready — postgres://bulkhead@127.0.0.1:41234/bulkhead (embedded)'],
  ['a URL with a user and no password', 'connect postgres://app@db.internal:5432/rag'],
  ['a URL with a port', 'http://127.0.0.1:41517/v1/chat/completions answered 429'],
  ['token counts', 'limiter provider.openai: tokens 1200/40000, requests 10/600, max_tokens=64'],
  ['rate-limit headers', 'x-ratelimit-remaining-tokens: 39000'],
  ['TLS evidence', 'TLS: local host: connecting without TLS (sslmode=disable)'],
  ['a client key path', 'sslkey: /home/me/client.key   (DATABASE_URL (--url))'],
  ['a leak warning with a stack', 'database client "rag-answer#12" held for 10234 ms (leak threshold 10000 ms); taken at:\n    at InstrumentedPool.acquire (/work/wt/sec-keys/electron/stack/db/pool/instrumented-pool.ts:120:15)'],
  ['an alert', 'alert fired: event-loop p99 142 ms > 100 ms for 10 s'],
  ['a skipped profile', 'skipping the saved stress profile /data/stress-profiles/x.json — STRESS_BAD_PROFILE: The stress profile /data/stress-profiles/x.json is not valid JSON (line 3, column 13).'],
  ['provider request ids', 'OpenAI answered 401: Incorrect API key provided. request id chatcmpl-AB12cd34EF56gh78IJ90kl12MN34oP'],
  ['Anthropic ids', 'request_id req_011CSHoEeqs5C35K2UUqqZ1BxYz9Lm4 and msg_01XFDUDYJgAACzvnptvVoYELabc123'],
  ['a shutdown note', 'embedded PostgreSQL (pid 4242) needed a fast shutdown'],
  ['hashes and uuids', 'commit 0f3a9c2b7d1e4f5a6b8c9d0e1f2a3b4c5d6e7f80 and uuid 3f2504e0-4f89-11d3-9a0c-0305e82c3301'],
  ['a file path', 'file /work/wt/sec-keys/electron/stack/providers/ProviderClientSnapshot2Test.ts'],
  ['a path with capitals and digits', '/Users/Me/Projects/App2/src/Main3Window.tsx'],
  ['long identifiers', 'ConnectionTerminatedDueToConnectionTimeout2 and InstrumentedPoolAcquireTimeoutMillis2000'],
  ['an unhandled rejection line', 'unhandled promise rejection #3 (the stack keeps running; this is a bug worth reporting) — Error: boom'],
  ['a doctor log line', 'doctor: failed for postgres://app@db:5432/rag (report #12)'],
  ['prose about tokens', 'Token bucket refill: 10 tokens/s'],
  ['prose about bearer tokens', 'Bearer tokens are sent in the Authorization header'],
  ['a CLI usage error', 'bulkhead stress: --provider-url must start with http:// or https:// (got a ftp: URL)'],
  ['a label followed by a sentence', 'the saved key is bound to https://openrouter.ai; token: expired and must be renewed'],
];

describe('redact', () => {
  it.each(MUST_MASK)('masks %s', (_what, input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it.each(MUST_NOT_MASK)('leaves %s alone', (_what, input) => {
    expect(redact(input)).toBe(input);
  });

  it('is what the logger writes: the key is masked and the sentence kept', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (line) => lines.push(line), scope: 'stress' });
    log.info('stress run run-1 failed', Object.assign(new Error('No openai API key is configured.'), { code: 'provider.missing_api_key' }));
    log.warn('provider call failed with Authorization: Bearer sk-proj-abcdefghijklmnop1234');
    expect(lines[0]).toMatch(/\[stress\] stress run run-1 failed — provider\.missing_api_key: No openai API key is configured\.$/);
    expect(lines[1]).toMatch(/Authorization: Bearer \*\*\*\*$/);
  });
});
