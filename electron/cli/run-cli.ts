import { parseArgs } from 'node:util';
import { BulkheadError, describeError } from '../stack/errors';
import { redact } from '../stack/log/redact';
import { readVersion } from '../stack/version';
import { EXIT, UsageError, type CliCommand, type CliIo } from './command';
import { commands } from './commands';

export function mainUsage(list: readonly CliCommand[] = commands): string {
  const width = Math.max(...list.map((c) => c.name.length));
  return `Bulkhead — concurrency control panel for a local LLM-agent stack

Usage: bulkhead <command> [options]

Commands:
${list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run \`bulkhead <command> --help\` for a command's options.
Exit codes: 0 ok, 1 failed, 2 usage error (stress: 3 regression against the baseline).
`;
}

/**
 * Parses argv, runs one command and returns its exit code. Unknown commands and flags are usage errors
 * (exit 2, with the usage printed); a BulkheadError prints its message and remedy (exit 1).
 */
export async function runCli(argv: readonly string[], io: CliIo, list: readonly CliCommand[] = commands): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const wanted = name === 'help' ? list.find((c) => c.name === rest[0]) : undefined;
    io.stdout(wanted ? `${wanted.usage}\n` : mainUsage(list));
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${readVersion()}\n`);
    return EXIT.ok;
  }
  const command = list.find((c) => c.name === name);
  if (!command) {
    io.stderr(`bulkhead: unknown command ${JSON.stringify(name)}\n\n${mainUsage(list)}`);
    return EXIT.usage;
  }
  let values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  let positionals: string[];
  try {
    const parsed = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
    values = parsed.values;
    positionals = parsed.positionals;
  } catch (error) {
    io.stderr(`bulkhead ${command.name}: ${cleanParseError(error)}\n\nUsage: ${command.usage}\n`);
    return EXIT.usage;
  }
  if (values.help) {
    io.stdout(`Usage: ${command.usage}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(values, positionals, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`bulkhead ${command.name}: ${error.message}\n\nUsage: ${command.usage}\n`);
      return EXIT.usage;
    }
    if (error instanceof BulkheadError) {
      io.stderr(redact(`bulkhead ${command.name}: ${error.message}\n${error.remedy ? `  fix: ${error.remedy}\n` : ''}`));
      return EXIT.failed;
    }
    io.stderr(redact(`bulkhead ${command.name}: unexpected error: ${describeError(error)}\n`));
    return EXIT.failed;
  }
}

function cleanParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // node's messages mention "To specify a positional argument starting with a '-'": not useful here.
  return message.split('. To specify')[0] ?? message;
}
