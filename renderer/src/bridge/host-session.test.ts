import { describe, expect, it } from 'vitest';
import { startHostSession, type SessionEnvironment } from './host-session';

/** A page at `hash` with `stored` in sessionStorage and a host that answers POST /session with `answer`. */
function page(hash: string, stored: string | null, answer: { status: number; body: unknown } | 'down') {
  const storage = new Map<string, string>(stored ? [['bulkhead.session', stored]] : []);
  const urls: string[] = [];
  const posted: unknown[] = [];
  const env: SessionEnvironment = {
    location: { hash, pathname: '/', search: '', origin: 'http://127.0.0.1:4000' },
    history: { state: null, replaceState: (_state, _title, url) => void urls.push(String(url)) },
    storage: { getItem: (key) => storage.get(key) ?? null, setItem: (key, value) => void storage.set(key, value), removeItem: (key) => void storage.delete(key) },
    fetch: (async (_url: string, init: RequestInit) => {
      posted.push(JSON.parse(String(init.body)));
      if (answer === 'down') throw new TypeError('fetch failed');
      return new Response(JSON.stringify(answer.body), { status: answer.status });
    }) as typeof fetch,
  };
  return { env, storage, urls, posted };
}

const granted = { status: 200, body: { ok: true, result: { credential: 'cred-1' } } };
const used = { status: 410, body: { ok: false, error: { code: 'LAUNCH_CODE_USED', message: 'This link was already used.' } } };

describe('startHostSession', () => {
  it('takes the code out of the address bar before trading it, and keeps the credential for reloads', async () => {
    const p = page('#/stress?code=abc', null, granted);
    expect(await startHostSession(p.env)).toEqual({ ok: true, credential: 'cred-1' });
    expect(p.urls).toEqual(['/#/stress']);
    expect(p.posted).toEqual([{ code: 'abc' }]);
    expect(p.storage.get('bulkhead.session')).toBe('cred-1');
  });

  it('on a reload (no code) uses the stored credential without asking the host', async () => {
    const p = page('#/overview', 'cred-1', granted);
    expect(await startHostSession(p.env)).toEqual({ ok: true, credential: 'cred-1' });
    expect(p.posted).toEqual([]);
  });

  it('says why when a used link is opened in a fresh tab, with the code gone from the address bar', async () => {
    const p = page('#code=abc', null, used);
    expect(await startHostSession(p.env)).toEqual({ ok: false, problem: { code: 'LAUNCH_CODE_USED', message: 'This link was already used.' } });
    expect(p.urls).toEqual(['/']);
  });

  it('keeps a tab that already has a session working when an old link is pasted into it', async () => {
    const p = page('#code=abc', 'cred-0', used);
    expect(await startHostSession(p.env)).toEqual({ ok: true, credential: 'cred-0' });
  });

  it('tells a tab with neither code nor session, and a host that does not answer, apart', async () => {
    expect(await startHostSession(page('', null, granted).env)).toMatchObject({ ok: false, problem: { code: 'NO_SESSION' } });
    expect(await startHostSession(page('#code=abc', null, 'down').env)).toMatchObject({ ok: false, problem: { code: 'HOST_UNREACHABLE' } });
    expect(await startHostSession(page('#code=abc', null, { status: 200, body: { surprise: true } }).env)).toMatchObject({ ok: false, problem: { code: 'BAD_MESSAGE' } });
  });
});
