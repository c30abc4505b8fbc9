import { describe, expect, it } from 'vitest';
import { EXIT, UsageError, type CliCommand, type CliIo } from './command';
import { runCli } from './run-cli';

function capture(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTTY: false, env: {}, signal: new AbortController().signal },
    out: () => out,
    err: () => err,
  };
}

const echo: CliCommand = {
  name: 'echo',
  summary: 'repeat a word',
  usage: 'bulkhead echo --word W',
  options: { word: { type: 'string' } },
  async run(values, _positionals, io) {
    if (!values.word) throw new UsageError('--word is required.');
    io.stdout(`${String(values.word)}\n`);
    return EXIT.ok;
  },
};

describe('runCli', () => {
  it('prints the command list and exits 2 when no command is given', async () => {
    const { io, out } = capture();
    expect(await runCli([], io, [echo])).toBe(EXIT.usage);
    expect(out()).toContain('echo  repeat a word');
  });

  it('exits 2 with usage on an unknown command', async () => {
    const { io, err } = capture();
    expect(await runCli(['ecco'], io, [echo])).toBe(EXIT.usage);
    expect(err()).toContain('unknown command "ecco"');
    expect(err()).toContain('Commands:');
  });

  it('exits 2 naming an unknown flag, with the command usage', async () => {
    const { io, err } = capture();
    expect(await runCli(['echo', '--wrod', 'x'], io, [echo])).toBe(EXIT.usage);
    expect(err()).toContain("Unknown option '--wrod'");
    expect(err()).toContain('bulkhead echo --word W');
  });

  it('turns a UsageError from the command into exit 2', async () => {
    const { io, err } = capture();
    expect(await runCli(['echo'], io, [echo])).toBe(EXIT.usage);
    expect(err()).toContain('--word is required.');
  });

  it('prints per-command help with exit 0', async () => {
    const { io, out } = capture();
    expect(await runCli(['echo', '--help'], io, [echo])).toBe(EXIT.ok);
    expect(out()).toContain('bulkhead echo --word W');
  });

  it('runs the command', async () => {
    const { io, out } = capture();
    expect(await runCli(['echo', '--word', 'hi'], io, [echo])).toBe(EXIT.ok);
    expect(out()).toBe('hi\n');
  });

  it('rejects a bad --port for serve with exit 2 naming the flag', async () => {
    const { io, err } = capture();
    expect(await runCli(['serve', '--port', 'eighty'], io)).toBe(EXIT.usage);
    expect(err()).toContain('--port must be a whole number');
  });
});
