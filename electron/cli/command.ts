import type { ParseArgsConfig } from 'node:util';

/** Where a command writes: injected so tests can capture output and the CLI can stay quiet in --json. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTTY: boolean;
  readonly env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM: long commands stop cleanly and exit. */
  readonly signal: AbortSignal;
  /** Lines typed while a long-running command runs (the chaos proxy's console); absent in tests. */
  readonly stdin?: NodeJS.ReadableStream;
}

export type OptionsSpec = NonNullable<ParseArgsConfig['options']>;

export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  /** The usage line(s) and option descriptions printed by --help. */
  readonly usage: string;
  readonly options: OptionsSpec;
  /** Whether bare positional arguments are accepted. */
  readonly allowPositionals?: boolean;
  run(values: Record<string, string | boolean | string[] | boolean[] | undefined>, positionals: string[], io: CliIo): Promise<number>;
}

/** Bad command line: one line naming the problem and a pointer to --help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Exit codes every command shares (README lists each command's). `interrupted` (128 + SIGINT, as shells
 * report it): Ctrl+C or SIGTERM stopped a command that would otherwise have ended by itself; the long-
 * running ones (serve, simulator, chaos proxy) stop that way normally and exit 0.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;
