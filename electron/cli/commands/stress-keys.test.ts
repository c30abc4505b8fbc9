import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../stack/db/testing/test-database';
import { API_KEY_SECRET, encodeStoredKey } from '../../stack/providers/api-keys';
import { startRecordingProvider, type RecordingProvider } from '../../stack/providers/testing/test-support';
import { createFileSecretStore, SECRETS_FILE } from '../../stack/secrets/file-secret-store';
import { makeTempDir } from '../../stack/testing/temp-dir';
import { EXIT, type CliIo } from '../command';
import { runCli } from '../run-cli';

/**
 * `--provider-url` at the terminal: with an environment key it is the user's explicit binding (the key
 * goes there); a key saved on Settings keeps its own binding. URLs are checked before anything starts
 * and never printed with their password.
 */

const db = useTestDatabase('cli_keys');
const ENV_KEY = 'sk-proj-CLIENVKEYSECRET0123456789';
const SAVED_KEY = 'sk-proj-CLISAVEDKEYSECRET012345';
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = makeTempDir();
  cleanups.push(() => dir.remove());
  return dir.path;
}

function capture(env: NodeJS.ProcessEnv): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTTY: false, env, signal: new AbortController().signal },
    out: () => out,
    err: () => err,
  };
}

async function listener(): Promise<RecordingProvider> {
  const started = await startRecordingProvider();
  cleanups.push(() => started.close());
  return started;
}

function ragProfile(dir: string): string {
  const path = join(dir, 'rag.json');
  writeFileSync(path, JSON.stringify({ name: 'rag', mix: { 'rag-answer': 1 }, stages: [{ executor: 'constant-arrival-rate', durationS: 1, rate: 3 }], maxVUs: 10, gracefulStopS: 5 }));
  return path;
}

/** The CLI's stack reads DATABASE_URL from the process environment, as `bulkhead stress` does for a user. */
function useDatabaseUrl(): void {
  const before = process.env.DATABASE_URL;
  process.env.DATABASE_URL = db.url;
  cleanups.push(() => {
    if (before === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = before;
  });
}

describe('bulkhead stress --provider-url and keys', () => {
  it('sends the environment key to the URL typed on the command line (an explicit binding)', async () => {
    useDatabaseUrl();
    const dir = tempDir();
    const typed = await listener();
    const { io, out, err } = capture({ OPENAI_API_KEY: ENV_KEY });
    const code = await runCli(['stress', '--profile', ragProfile(dir), '--provider', 'openai', '--provider-url', `${typed.origin}/v1`, '--json', '--data-dir', dir], io);
    expect(err()).not.toContain('CLIENVKEYSECRET');
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(out())).toMatchObject({ ok: true, requests: { planned: 3, completed: 3 } });
    expect(typed.seen.length).toBeGreaterThanOrEqual(3);
    expect(typed.seen.every((seen) => seen.authorization === `Bearer ${ENV_KEY}`)).toBe(true);
  });

  it('refuses to send a key saved on Settings to a URL typed on the command line, and says how to bind it', async () => {
    const dir = tempDir();
    const typed = await listener();
    await createFileSecretStore({ path: join(dir, SECRETS_FILE) }).set(API_KEY_SECRET.openai, encodeStoredKey({ key: SAVED_KEY, baseUrl: null }));
    const { io, out, err } = capture({});
    const code = await runCli(['stress', '--profile', ragProfile(dir), '--provider-url', `${typed.origin}/v1`, '--data-dir', dir], io);
    expect(code).toBe(EXIT.failed);
    expect(err()).toMatch(/saved openai key is bound to https:\/\/api\.openai\.com/);
    expect(err()).toMatch(/fix: .*Settings/);
    expect(err()).not.toContain('CLISAVEDKEYSECRET');
    expect(out()).toBe('');
    expect(typed.seen).toEqual([]);
  });

  it.each([
    ['ftp://user:Secr3tPw@files.example.com/v1', 'must start with http:// or https://'],
    ['javascript:alert(1)', 'must start with http:// or https://'],
    ['http://user:Secr3tPw@127.0.0.1:9/v1', 'must not carry a user name or password'],
    ['not a url', 'is not a URL'],
  ])('refuses --provider-url %j with exit 2 and never prints it in clear', async (url, problem) => {
    const { io, err } = capture({});
    expect(await runCli(['stress', '--profile', 'light', '--provider-url', url, '--data-dir', tempDir()], io)).toBe(EXIT.usage);
    expect(err()).toContain(`--provider-url ${problem}`);
    expect(err()).not.toContain('Secr3tPw');
  });

  it('redacts a credentialed URL that lands in any other usage error', async () => {
    const { io, err } = capture({});
    expect(await runCli(['stress', '--profile', 'light', '--mode', 'ftp://user:Secr3tPw@host/x', '--data-dir', tempDir()], io)).toBe(EXIT.usage);
    expect(err()).toContain('--mode must be one of governed, adaptive, unbounded');
    expect(err()).toContain('ftp://user:****@host/x');
    expect(err()).not.toContain('Secr3tPw');
  });
});
