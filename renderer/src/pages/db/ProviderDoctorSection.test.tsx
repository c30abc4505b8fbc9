import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DoctorReport, ProviderDoctorResult } from '../../../../shared/contract';
import { deferred, FakeBridge, withBridge } from '../../testing/fake-bridge';
import { ProviderDoctorSection } from './ProviderDoctorSection';

const failing: DoctorReport = {
  ok: false,
  target: 'openai https://api.openai.com/v1/models',
  steps: [
    { id: 'key', title: 'API key', status: 'pass', detail: 'OPENAI_API_KEY (environment): sk-pr****', ms: 1 },
    { id: 'url', title: 'Base URL', status: 'pass', detail: 'https://api.openai.com/v1', ms: 1 },
    { id: 'proxy', title: 'Proxy', status: 'pass', detail: 'through http://127.0.0.1:3128 (HTTPS_PROXY), a CONNECT tunnel to api.openai.com:443', ms: 1 },
    { id: 'dns', title: 'DNS', status: 'pass', detail: 'the proxy 127.0.0.1 is an IP address: nothing to resolve', ms: 1 },
    { id: 'tcp', title: 'TCP connection', status: 'fail', code: 'ECONNREFUSED', detail: 'nothing accepts connections at the proxy 127.0.0.1:3128 named by HTTPS_PROXY (ECONNREFUSED)\n127.0.0.1:3128 → ECONNREFUSED after 0 ms', remedy: 'Start the proxy or correct HTTPS_PROXY; if this network needs no proxy, unset HTTPS_PROXY.', ms: 2 },
    { id: 'tls', title: 'TLS', status: 'skip', detail: 'skipped: the tcp step failed (ECONNREFUSED)', ms: 0 },
  ],
};

describe('ProviderDoctorSection', () => {
  it('runs the chosen provider with its URL, fills the steps in live, then shows the verdict and the fix', async () => {
    const answer = deferred<ProviderDoctorResult>();
    const bridge = new FakeBridge().on('doctor.provider', () => answer.promise);
    render(<ProviderDoctorSection />, { wrapper: withBridge(bridge) });

    fireEvent.change(screen.getByTestId('provider-doctor-provider'), { target: { value: 'openai' } });
    fireEvent.change(screen.getByTestId('provider-doctor-url'), { target: { value: ' https://api.openai.com/v1 ' } });
    fireEvent.click(screen.getByTestId('provider-doctor-run'));
    expect(bridge.calls.at(-1)).toEqual({ method: 'doctor.provider', params: { provider: 'openai', providerUrl: 'https://api.openai.com/v1' } });
    await waitFor(() => expect((screen.getByTestId('provider-doctor-run') as HTMLButtonElement).disabled).toBe(true));

    bridge.emit('doctor.provider.progress', { phase: 'started', runId: 'p1', target: 'openai (resolving)', steps: failing.steps.map(({ id, title }) => ({ id, title })) });
    bridge.emit('doctor.provider.progress', { phase: 'step', runId: 'p1', index: 0, step: failing.steps[0]! });
    bridge.emit('doctor.provider.progress', { phase: 'running', runId: 'p1', id: 'url' });
    const list = await screen.findByTestId('provider-doctor-steps');
    await waitFor(() => expect(list.querySelector('[data-step="key"]')?.getAttribute('data-status')).toBe('pass'));
    expect(list.querySelector('[data-step="url"]')?.getAttribute('data-status')).toBe('running');
    expect(list.querySelector('[data-step="tcp"]')?.getAttribute('data-status')).toBe('pending');

    answer.resolve({ at: Date.UTC(2026, 10, 29, 19, 0), report: failing });
    const verdict = await screen.findByTestId('provider-doctor-verdict');
    expect(verdict.getAttribute('data-ok')).toBe('false');
    expect(verdict.textContent).toContain('failed at TCP connection (ECONNREFUSED)');
    expect(verdict.textContent).toContain('unset HTTPS_PROXY');
    const tcp = screen.getByTestId('provider-doctor-steps').querySelector('[data-step="tcp"]') as HTMLElement;
    expect(tcp.getAttribute('data-status')).toBe('fail');
    expect(within(tcp).getByText('ECONNREFUSED')).toBeTruthy();
    expect(within(tcp).getByText('Fix')).toBeTruthy();
  });

  it('sends no URL for the built-in simulator (the field is disabled) and shows a call error on screen', async () => {
    const bridge = new FakeBridge().on('doctor.provider', () => {
      throw Object.assign(new Error('A provider diagnosis is already running.'), { code: 'DOCTOR_BUSY' });
    });
    render(<ProviderDoctorSection />, { wrapper: withBridge(bridge) });
    expect((screen.getByTestId('provider-doctor-url') as HTMLInputElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('provider-doctor-run'));
    expect(bridge.calls.at(-1)).toEqual({ method: 'doctor.provider', params: { provider: 'simulator' } });
    expect(await screen.findByText(/already running/)).toBeTruthy();
  });
});
