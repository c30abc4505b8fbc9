import { parseArgs } from 'node:util';
import { BulkheadError, describeError } from '../stack/errors';
import { redact } from '../stack/log/redact';
import { readVersion } from '../stack/version';
import { checkArguments } from './argv-check';
import { EXIT, UsageError, type CliCommand, type CliIo } from './command';
import { commands } from './commands';
import { closestMatch } from './suggest';

export function mainUsage(list: readonly CliCommand[] = commands): string {
  const width = Math.max(...list.map((c) => c.name.length));
  return `Bulkhead — concurrency control panel for a local LLM-agent stack

Usage: bulkhead <command> [options]

Commands:
${list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run \`bulkhead <command> --help\` for a command's options and exit codes.
Exit codes: 0 ok, 1 failed, 2 usage error, 130 interrupted (stress: 3 regression against the baseline).
`;
}

/**
 * Parses argv, runs one command and returns its exit code. A usage error (unknown command or option,
 * a bad value) is one line naming the problem — with "did you mean" for typos — and a pointer to
 * --help, exit 2; a BulkheadError prints its message and remedy, exit 1; an interrupted command, 130.
 */
export async function runCli(argv: readonly string[], io: CliIo, list: readonly CliCommand[] = commands): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const wanted = name === 'help' && rest[0] !== undefined ? list.find((c) => c.name === rest[0]) : undefined;
    if (name === 'help' && rest[0] !== undefined && !wanted) return unknownCommand(rest[0], io, list);
    io.stdout(wanted ? `Usage: ${wanted.usage}\n` : mainUsage(list));
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${readVersion()}\n`);
    return EXIT.ok;
  }
  const command = list.find((c) => c.name === name);
  if (!command) return unknownCommand(name, io, list);
  const options = { ...command.options, help: { type: 'boolean' as const, short: 'h' } };
  let values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  let positionals: string[];
  try {
    // --help anywhere wins over other mistakes on the line: the user is asking how to write it.
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`Usage: ${command.usage}\n`);
      return EXIT.ok;
    }
    const parsed = parseArgs({ args: checkArguments(rest, options, command.allowPositionals ?? false), options, allowPositionals: command.allowPositionals ?? false, strict: true });
    values = parsed.values;
    positionals = parsed.positionals;
  } catch (error) {
    return usageError(command.name, error instanceof UsageError ? error.message : cleanParseError(error), io);
  }
  try {
    return await command.run(values, positionals, io);
  } catch (error) {
    if (error instanceof UsageError) return usageError(command.name, error.message, io);
    if (io.signal.aborted) {
      io.stderr(`bulkhead ${command.name}: interrupted\n`);
      return EXIT.interrupted;
    }
    if (error instanceof BulkheadError) {
      io.stderr(redact(`bulkhead ${command.name}: ${error.message}\n${error.remedy ? `  fix: ${error.remedy}\n` : ''}`));
      return EXIT.failed;
    }
    io.stderr(redact(`bulkhead ${command.name}: unexpected error: ${describeError(error)}\n`));
    return EXIT.failed;
  }
}

/** One line saying what is wrong, one saying where the whole usage is: the help itself is a flag away. */
function usageError(commandName: string, message: string, io: CliIo): number {
  io.stderr(redact(`bulkhead ${commandName}: ${message}\nsee \`bulkhead ${commandName} --help\`\n`));
  return EXIT.usage;
}

function unknownCommand(name: string, io: CliIo, list: readonly CliCommand[]): number {
  const guess = closestMatch(name, list.map((c) => c.name));
  // Redacted: what was typed may be a URL with a password in the wrong place.
  io.stderr(
    redact(`bulkhead: unknown command ${JSON.stringify(name)}${guess ? ` — did you mean "${guess}"?` : ''}\n`) +
      `commands: ${list.map((c) => c.name).join(', ')}; see \`bulkhead --help\`\n`,
  );
  return EXIT.usage;
}

function cleanParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // node's messages mention "To specify a positional argument starting with a '-'": not useful here.
  return (message.split('. To specify')[0] ?? message).split('\n')[0] ?? message;
}
