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

  it('exits 2 on an unknown command, suggesting the one meant', async () => {
    const { io, err } = capture();
    expect(await runCli(['ecoh'], io, [echo])).toBe(EXIT.usage);
    expect(err()).toBe('bulkhead: unknown command "ecoh" — did you mean "echo"?\ncommands: echo; see `bulkhead --help`\n');
  });

  it('does not guess when nothing is close', async () => {
    const { io, err } = capture();
    expect(await runCli(['deploy'], io, [echo])).toBe(EXIT.usage);
    expect(err()).not.toContain('did you mean');
  });

  it('exits 2 naming an unknown flag and the one meant, in one line plus where the help is', async () => {
    const { io, err } = capture();
    expect(await runCli(['echo', '--wrod', 'x'], io, [echo])).toBe(EXIT.usage);
    expect(err()).toBe('bulkhead echo: unknown option --wrod — did you mean --word?\nsee `bulkhead echo --help`\n');
  });

  it.each([
    [['--word'], '--word needs a value.'],
    [['--word', '--help-me'], '--word needs a value, but the next argument is "--help-me".'],
    [['--word', 'x', 'y'], 'unexpected argument "y"'],
    [['-x'], 'unknown option -x'],
  ])('explains %j in our words, not node\'s', async (args, message) => {
    const { io, err } = capture();
    expect(await runCli(['echo', ...args], io, [echo])).toBe(EXIT.usage);
    expect(err()).toContain(message);
    expect(err()).not.toMatch(/ambiguous|To specify|ERR_PARSE_ARGS/);
  });

  it('takes a negative number after an option as its value, so the option\'s own check answers', async () => {
    const { io, out } = capture();
    expect(await runCli(['echo', '--word', '-5'], io, [echo])).toBe(EXIT.ok);
    expect(out()).toBe('-5\n');
  });

  it('answers --help even when the rest of the line has a mistake', async () => {
    const { io, out } = capture();
    expect(await runCli(['echo', '--wrod', '--help'], io, [echo])).toBe(EXIT.ok);
    expect(out()).toContain('bulkhead echo --word W');
  });

  it('exits 130 when the command was interrupted (Ctrl+C) and gave up', async () => {
    const controller = new AbortController();
    const { io, err } = capture();
    const interruptible: CliCommand = {
      ...echo,
      name: 'wait',
      async run() {
        controller.abort(new Error('received SIGINT'));
        throw new Error('aborted');
      },
    };
    expect(await runCli(['wait'], { ...io, signal: controller.signal }, [interruptible])).toBe(EXIT.interrupted);
    expect(err()).toBe('bulkhead wait: interrupted\n');
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
