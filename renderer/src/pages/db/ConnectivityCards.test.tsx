import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DoctorReport, PgbouncerView } from '../../../../shared/contract';
import { FakeBridge, withBridge } from '../../testing/fake-bridge';
import { PgbouncerCard } from './PgbouncerCard';
import { RedisDoctorSection } from './RedisDoctorSection';

const refusedScripting: DoctorReport = {
  ok: false,
  target: 'redis://noscript:****@127.0.0.1:6390',
  steps: [
    { id: 'auth', title: 'Authentication (AUTH / ACL)', status: 'pass', detail: 'authenticated as ACL user "noscript"', ms: 1 },
    { id: 'scripting', title: 'Lua scripting (EVAL / EVALSHA)', status: 'fail', code: 'NOPERM', detail: 'this user may not run Lua scripts (NOPERM)', remedy: 'ACL SETUSER noscript +@scripting', ms: 2 },
    { id: 'eviction', title: 'Eviction policy (maxmemory-policy)', status: 'warn', code: 'EVICTION_POLICY', detail: 'maxmemory-policy allkeys-lru lets Redis delete limiter keys', remedy: 'CONFIG SET maxmemory-policy noeviction', ms: 1 },
  ],
};

describe('RedisDoctorSection', () => {
  it('sends the typed URL (or none, for BULKHEAD_REDIS_URL) and shows the verdict, the failing step and its fix', async () => {
    const bridge = new FakeBridge().on('doctor.redis', () => refusedScripting);
    render(<RedisDoctorSection />, { wrapper: withBridge(bridge) });
    fireEvent.click(screen.getByTestId('redis-doctor-run'));
    await waitFor(() => expect(screen.getByTestId('redis-doctor-verdict').dataset.ok).toBe('false'));
    expect(bridge.calls.at(-1)).toEqual({ method: 'doctor.redis', params: {} });
    const verdict = screen.getByTestId('redis-doctor-verdict');
    expect(verdict.textContent).toContain('failed at Lua scripting (EVAL / EVALSHA) (NOPERM)');
    expect(verdict.textContent).toContain('ACL SETUSER noscript +@scripting');
    const steps = within(screen.getByTestId('redis-doctor')).getByTestId('doctor-steps');
    expect([...steps.querySelectorAll('[data-step]')].map((li) => `${li.getAttribute('data-step')}:${li.getAttribute('data-status')}`)).toEqual(['auth:pass', 'scripting:fail', 'eviction:warn']);

    fireEvent.change(screen.getByTestId('redis-doctor-url'), { target: { value: ' redis://127.0.0.1:6390 ' } });
    fireEvent.click(screen.getByTestId('redis-doctor-run'));
    await waitFor(() => expect(bridge.calls.at(-1)).toEqual({ method: 'doctor.redis', params: { url: 'redis://127.0.0.1:6390' } }));
  });

  it('shows the structured error when nothing is configured', async () => {
    const bridge = new FakeBridge().on('doctor.redis', () => {
      throw Object.assign(new Error('No Redis store is configured (BULKHEAD_REDIS_URL is not set) and no URL was given.'), { code: 'REDIS_URL_MISSING' });
    });
    render(<RedisDoctorSection />, { wrapper: withBridge(bridge) });
    fireEvent.click(screen.getByTestId('redis-doctor-run'));
    await waitFor(() => expect(screen.getByTestId('redis-doctor').textContent).toContain('BULKHEAD_REDIS_URL is not set'));
  });
});

describe('PgbouncerCard', () => {
  it('renders SHOW POOLS and SHOW STATS rows (without the admin database) when the console answers', async () => {
    const view: PgbouncerView = {
      state: 'ok',
      adminUrl: 'postgres://stats:****@127.0.0.1:6432/pgbouncer',
      version: 'PgBouncer 1.18.0',
      pools: [
        { database: 'pgbouncer', user: 'pgbouncer', pool_mode: 'statement', cl_active: 1 },
        { database: 'rag', user: 'app', pool_mode: 'transaction', cl_active: 12, cl_waiting: 3, sv_active: 8, sv_idle: 0, sv_used: 0, maxwait: 1 },
      ],
      stats: [{ database: 'rag', total_xact_count: 4200, total_query_count: 9100, avg_xact_time: 812, avg_query_time: 301, avg_wait_time: 95 }],
    };
    render(<PgbouncerCard />, { wrapper: withBridge(new FakeBridge().on('pool.pgbouncer', () => view)) });
    await waitFor(() => expect(screen.getByTestId('pgbouncer-card').dataset.state).toBe('ok'));
    const pools = screen.getByTestId('pgbouncer-pools');
    expect(within(pools).getAllByRole('row')).toHaveLength(2); // header + rag only
    expect(pools.textContent).toContain('transaction');
    expect(pools.textContent).not.toContain('statement');
    expect(screen.getByTestId('pgbouncer-stats').textContent).toContain('9100');
    expect(screen.getByTestId('pgbouncer-card').textContent).toContain('PgBouncer 1.18.0');
  });

  it('says how to turn it on, and reports an unreachable console with its code', async () => {
    const { unmount } = render(<PgbouncerCard />, { wrapper: withBridge(new FakeBridge().on('pool.pgbouncer', () => ({ state: 'not-configured', variable: 'BULKHEAD_PGBOUNCER_ADMIN_URL' }))) });
    await waitFor(() => expect(screen.getByTestId('pgbouncer-card').textContent).toContain('BULKHEAD_PGBOUNCER_ADMIN_URL'));
    unmount();
    render(<PgbouncerCard />, { wrapper: withBridge(new FakeBridge().on('pool.pgbouncer', () => ({ state: 'unreachable', adminUrl: 'postgres://a:****@127.0.0.1:1/pgbouncer', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' }))) });
    await waitFor(() => expect(screen.getByTestId('pgbouncer-unreachable').textContent).toContain('ECONNREFUSED'));
  });
});
