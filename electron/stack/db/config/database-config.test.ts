import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConnectionUrl } from './connection-url';
import { resolveDatabaseConfig } from './database-config';
import { readEnvLayers } from './env-layers';
import { maskUrl } from './mask';

const dirs: string[] = [];
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-cfg-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('configuration precedence', () => {
  it('takes --url over the environment over --env-file over .env.local over .env, and lists what each hides', () => {
    const cwd = folder({ '.env': 'DATABASE_URL=postgres://a@dotenv/db\nPGPASSWORD=from-dotenv\n', '.env.local': 'DATABASE_URL=postgres://a@local/db\n', 'prod.env': 'DATABASE_URL=postgres://a@file/db\n' });
    const env = { DATABASE_URL: 'postgres://a@environment/db' };
    const withFlag = resolveDatabaseConfig(readEnvLayers({ env, cwd, envFile: 'prod.env', flagUrl: 'postgres://a@flag/db' }));
    expect(withFlag.mode === 'configured' && withFlag.settings.host).toBe('flag');
    const source = withFlag.sources.find((s) => s.name === 'DATABASE_URL');
    expect(source?.source).toBe('--url');
    expect(source?.shadows).toEqual(['environment', '--env-file prod.env', '.env.local', '.env']);

    const order = [
      { env, envFile: 'prod.env', host: 'environment' },
      { env: {}, envFile: 'prod.env', host: 'file' },
      { env: {}, envFile: undefined, host: 'local' },
    ];
    for (const c of order) {
      const config = resolveDatabaseConfig(readEnvLayers({ env: c.env, cwd, envFile: c.envFile }));
      expect(config.mode === 'configured' && config.settings.host).toBe(c.host);
    }
  });

  it('fills fields missing from DATABASE_URL with PG* variables, naming the source of each', () => {
    const cwd = folder({ '.env': 'PGPASSWORD=s3cret\nPGSSLMODE=disable\n' });
    const config = resolveDatabaseConfig(readEnvLayers({ env: { DATABASE_URL: 'postgres://app@db.internal.example:6543/rag' }, cwd }));
    if (config.mode !== 'configured') throw new Error(config.mode);
    expect(config.settings).toMatchObject({ host: 'db.internal.example', port: 6543, user: 'app', password: 's3cret', database: 'rag', sslmode: 'disable' });
    expect(config.settings.fieldSources.password).toBe('PGPASSWORD (.env)');
    expect(config.settings.fieldSources.host).toBe('DATABASE_URL (environment)');
    expect(config.sources.find((s) => s.name === 'PGPASSWORD')?.value).toBe('****');
  });

  it('uses the embedded database when nothing names a server, or when told to', () => {
    const cwd = folder({});
    expect(resolveDatabaseConfig(readEnvLayers({ env: { PGPASSWORD: 'x' }, cwd })).mode).toBe('embedded');
    expect(resolveDatabaseConfig(readEnvLayers({ env: { DATABASE_URL: 'postgres://h/d', BULKHEAD_DATABASE: 'embedded' }, cwd })).mode).toBe('embedded');
    expect(resolveDatabaseConfig(readEnvLayers({ env: { PGHOST: 'localhost' }, cwd })).mode).toBe('configured');
  });

  it('refuses a missing --env-file with a message naming it', () => {
    expect(() => readEnvLayers({ env: {}, cwd: folder({}), envFile: 'nope.env' })).toThrow(/--env-file nope.env: no such file/);
  });

  it('rejects an unknown sslmode and a bad port with what to use instead', () => {
    const cwd = folder({});
    const bad = resolveDatabaseConfig(readEnvLayers({ env: { DATABASE_URL: 'postgres://h/d?sslmode=requried' }, cwd }));
    expect(bad.mode === 'invalid' && bad.problem.code).toBe('SSLMODE_INVALID');
    const port = resolveDatabaseConfig(readEnvLayers({ env: { PGHOST: 'h', PGPORT: 'fivefour' }, cwd }));
    expect(port.mode === 'invalid' && port.problem.code).toBe('PORT_INVALID');
  });
});

describe('URL mistakes people make', () => {
  it.each([
    ['jdbc:postgresql://db:5432/rag?user=app&password=x', 'URL_JDBC', /postgres:\/\/app:PASSWORD@db:5432\/rag/],
    ['host=localhost port=5432 dbname=rag user=app', 'URL_KEYWORD_FORM', /postgres:\/\/app@localhost:5432\/rag/],
    ['postgres://app:pa#ss@localhost/rag', 'URL_PASSWORD_NEEDS_ENCODING', /%23/],
    ['postgres://app:pa/ss@localhost/rag', 'URL_PASSWORD_NEEDS_ENCODING', /%2F/],
    ['postgres://app@localhost:54321x/rag', 'URL_PORT', /5432/],
    ['mysql://app@localhost/rag', 'URL_SCHEME', /postgres:\/\//],
    ['localhost:5432/rag', 'URL_NO_SCHEME', /postgres:\/\//],
  ])('%s → %s', (url, code, remedy) => {
    const result = parseConnectionUrl(url);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.code).toBe(code);
    expect(result.problem.remedy).toMatch(remedy);
  });

  it('accepts an unencoded @ in the password, as node-postgres does', () => {
    const result = parseConnectionUrl('postgres://app:p@ss@localhost/rag');
    expect(result.ok && result.parts).toMatchObject({ user: 'app', password: 'p@ss', host: 'localhost', database: 'rag' });
  });

  it('reads Unix socket hosts and IPv6 literals', () => {
    expect(parseConnectionUrl('postgres:///rag?host=/var/run/postgresql')).toMatchObject({ ok: true, parts: { host: '/var/run/postgresql', database: 'rag' } });
    expect(parseConnectionUrl('postgres://u@[::1]:5433/rag')).toMatchObject({ ok: true, parts: { host: '::1', port: 5433 } });
  });
});

describe('masking', () => {
  it.each([
    ['postgres://app:s3cret@h/db', 'postgres://app:****@h/db'],
    ['postgres://app:p@ss@word@h/db', 'postgres://app:****@h/db'],
    ['postgres://app:a/b#c@h/db', 'postgres://app:****@h/db'],
    ['postgres://app@h/db', 'postgres://app@h/db'],
    ['jdbc:postgresql://h/db?user=app&password=s3cret&ssl=true', 'jdbc:postgresql://h/db?user=app&password=****&ssl=true'],
  ])('%s → %s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
  });
});
