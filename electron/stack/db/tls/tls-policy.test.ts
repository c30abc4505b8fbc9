import { describe, expect, it } from 'vitest';
import { decideTls, sslOptionsFor } from './tls-policy';

const base = { sslrootcert: undefined, sslcert: undefined, sslkey: undefined };

describe('TLS policy', () => {
  it.each([
    ['localhost', 'never'],
    ['127.0.0.1', 'never'],
    ['::1', 'never'],
    ['/var/run/postgresql', 'never'],
    ['db', 'never'],
    ['host.docker.internal', 'never'],
    ['db.example.com', 'always'],
    ['10.1.2.3', 'always'],
  ] as const)('without sslmode, %s → %s', (host, use) => {
    const decision = decideTls({ host, sslmode: undefined, libpqCompat: false });
    expect(decision.use).toBe(use);
    expect(decision.explicit).toBe(false);
    if (use === 'always') expect(decision.verify).toBe('full');
  });

  it('lets an explicit sslmode win, with node-postgres meanings (require verifies)', () => {
    expect(decideTls({ host: 'db.example.com', sslmode: 'disable', libpqCompat: false }).use).toBe('never');
    expect(decideTls({ host: 'localhost', sslmode: 'require', libpqCompat: false })).toMatchObject({ use: 'always', verify: 'full' });
    expect(decideTls({ host: 'localhost', sslmode: 'prefer', libpqCompat: false })).toMatchObject({ use: 'if-offered', verify: 'full' });
  });

  it('never turns certificate checks off silently', () => {
    for (const [sslmode, libpqCompat] of [['no-verify', false], ['require', true], ['prefer', true]] as const) {
      const decision = decideTls({ host: 'db.example.com', sslmode, libpqCompat });
      expect(decision.verify).toBe('none');
      expect(decision.warning).toMatch(/not verified/);
      expect(sslOptionsFor(decision, { host: 'db.example.com', ...base }, true)).toMatchObject({ rejectUnauthorized: false });
    }
    for (const sslmode of [undefined, 'require', 'verify-ca', 'verify-full', 'prefer'] as const) {
      const decision = decideTls({ host: 'db.example.com', sslmode, libpqCompat: false });
      expect(decision.warning).toBeUndefined();
      expect(sslOptionsFor(decision, { host: 'db.example.com', ...base }, true)).toMatchObject({ rejectUnauthorized: true, servername: 'db.example.com' });
    }
  });

  it('goes plain under prefer when the server has no TLS, and fails loudly on an unreadable CA file', () => {
    const prefer = decideTls({ host: 'localhost', sslmode: 'prefer', libpqCompat: false });
    expect(sslOptionsFor(prefer, { host: 'localhost', ...base }, false)).toBe(false);
    const full = decideTls({ host: 'db.example.com', sslmode: 'verify-full', libpqCompat: false });
    expect(() => sslOptionsFor(full, { host: 'db.example.com', ...base, sslrootcert: '/nonexistent/ca.pem' })).toThrow(/sslrootcert=\/nonexistent\/ca.pem cannot be read/);
  });
});
