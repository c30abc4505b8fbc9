import { redact } from './redact';
import { describeError } from '../errors';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, error?: unknown): void;
  info(message: string, error?: unknown): void;
  warn(message: string, error?: unknown): void;
  error(message: string, error?: unknown): void;
  child(scope: string): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  scope?: string;
  write?: (line: string) => void;
}

/**
 * Line logger for the stack. Every line passes through `redact`, so a connection URL or an API key that
 * ends up in an error message is masked before it is written. Errors keep their cause chain.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? ((process.env.BULKHEAD_LOG_LEVEL as LogLevel | undefined) ?? 'info');
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const make = (scope: string | undefined): Logger => {
    const emit = (at: LogLevel, message: string, error?: unknown): void => {
      if (ORDER[at] < (ORDER[level] ?? ORDER.info)) return;
      const parts = [new Date().toISOString(), at.toUpperCase().padEnd(5), scope ? `[${scope}]` : '', message];
      if (error !== undefined) parts.push(`— ${causeChain(error)}`);
      write(redact(parts.filter(Boolean).join(' ')));
    };
    return {
      debug: (m, e) => emit('debug', m, e),
      info: (m, e) => emit('info', m, e),
      warn: (m, e) => emit('warn', m, e),
      error: (m, e) => emit('error', m, e),
      child: (child) => make(scope ? `${scope}/${child}` : child),
    };
  };
  return make(options.scope);
}

/** A silent logger for tests and the CLI's --json mode. */
export const silentLogger: Logger = createLogger({ write: () => undefined });

function causeChain(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(describeError(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(' ← caused by ');
}
