import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EXIT, type CliIo } from '../command';
import { runCli } from '../run-cli';

function harness() {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTTY: false, env: {}, signal: new AbortController().signal, stdin: new PassThrough() };
  return { io, out: () => out, err: () => err };
}

describe('bulkhead bench', () => {
  it('--json prints {machine, cases} with ours, peer, both rates and ratio = ours / peer', async () => {
    const h = harness();
    const code = await runCli(['bench', '--quick', '--filter', 'mapBounded', '--json'], h.io);
    expect(code).toBe(EXIT.ok);
    const report = JSON.parse(h.out()) as { machine: Record<string, unknown>; cases: Array<Record<string, unknown>> };
    expect(report.machine).toMatchObject({ cores: expect.any(Number), node: process.versions.node });
    expect(report.cases).toHaveLength(1);
    const [row] = report.cases as Array<{ name: string; ours: string; peer: string; ours_ops_per_s: number; peer_ops_per_s: number; ratio: number }>;
    expect(row).toMatchObject({ ours: 'mapBounded', peer: 'p-limit limit.map' });
    expect(row!.ours_ops_per_s).toBeGreaterThan(0);
    expect(row!.ratio).toBeCloseTo(row!.ours_ops_per_s / row!.peer_ops_per_s, 1);
  });

  it('prints a Markdown table by default, and --min-ratio fails the run when a ratio is below it', async () => {
    const h = harness();
    const code = await runCli(['bench', '--quick', '--filter', 'mapBounded', '--min-ratio', '1000'], h.io);
    expect(code).toBe(EXIT.failed);
    expect(h.out()).toContain('| case | ours | peer | ours ops/s | peer ops/s | ratio |');
    expect(h.err()).toContain('below --min-ratio 1000');
  });

  it('--adaptive refuses the options of the peer comparison (exit 2)', async () => {
    const h = harness();
    expect(await runCli(['bench', '--adaptive', '--quick'], h.io)).toBe(EXIT.usage);
    expect(h.err()).toContain('--adaptive runs its own comparison');
  });

  it('is a usage error (exit 2) for a filter that matches nothing or a bad ratio', async () => {
    const h = harness();
    expect(await runCli(['bench', '--quick', '--filter', 'no-such-case'], h.io)).toBe(EXIT.usage);
    expect(h.err()).toContain('matches no benchmark case');
    expect(await runCli(['bench', '--min-ratio', 'fast'], h.io)).toBe(EXIT.usage);
    expect(h.err()).toContain('--min-ratio must be a decimal number');
  });
});
