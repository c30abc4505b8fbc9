import { describe, expect, it } from 'vitest';
import { runCli } from '../run-cli';
import type { CliIo } from '../command';
import { rawPost } from '../../stack/providers/testing/test-support';

function captureIo(signal: AbortSignal): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, env: {}, signal };
}

describe('bulkhead simulator', () => {
  it('prints both base URLs, serves until aborted, applies --rpm and --fault', async () => {
    const controller = new AbortController();
    const io = captureIo(controller.signal);
    const running = runCli(['simulator', '--json', '--rpm', '1', '--fault', '5xx=1'], io);
    for (let i = 0; i < 500 && io.out.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    const info = JSON.parse(io.out.join('')) as { openai_base_url: string; anthropic_base_url: string };
    expect(info.openai_base_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const r = await rawPost(`${info.openai_base_url}/chat/completions`, { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    expect(r.status).toBe(500);
    expect(r.headers['x-ratelimit-limit-requests']).toBe('1');
    controller.abort();
    expect(await running).toBe(0);
  });

  it('exits 2 naming the flag for a bad value', async () => {
    const io = captureIo(new AbortController().signal);
    expect(await runCli(['simulator', '--rpm', 'lots'], io)).toBe(2);
    expect(io.err.join('')).toContain('--rpm must be a whole number');
    expect(await runCli(['simulator', '--fault', 'meteor'], io)).toBe(2);
    expect(io.err.join('')).toContain('--fault');
  });
});
