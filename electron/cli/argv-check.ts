import { UsageError, type OptionsSpec } from './command';
import { closestMatch } from './suggest';

/** Something that reads like a negative or fractional number, e.g. -5 or -.5: a value, not an option. */
const NUMBER_LIKE = /^-(\d|\.\d)/;

/**
 * Checks a command's arguments before node's parseArgs sees them, so every mistake gets our words:
 * an unknown option names the closest real one, a missing value says which option needs one, and a
 * negative number after an option is taken as its value (`--duration -5` then fails the option's own
 * range check, instead of node's "argument is ambiguous"). Returns the arguments parseArgs should get.
 */
export function checkArguments(args: readonly string[], options: OptionsSpec, allowPositionals: boolean): string[] {
  const out: string[] = [];
  const longNames = Object.keys(options);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq === -1 ? undefined : eq);
      const spec = options[name];
      if (!spec) throw unknownOption(`--${name}`, longNames);
      if (spec.type === 'boolean') {
        if (eq !== -1) throw new UsageError(`--${name} takes no value (got ${JSON.stringify(arg.slice(eq + 1))}); write just --${name}.`);
        out.push(arg);
        continue;
      }
      if (eq !== -1) {
        out.push(arg);
        continue;
      }
      const value = args[i + 1];
      if (value === undefined || value === '--') throw new UsageError(`--${name} needs a value.`);
      if (value.startsWith('-') && !NUMBER_LIKE.test(value)) throw new UsageError(`--${name} needs a value, but the next argument is ${JSON.stringify(value)}.`);
      out.push(`--${name}=${value}`);
      i += 1;
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      const short = Object.entries(options).find(([, spec]) => spec.short !== undefined && `-${spec.short}` === arg);
      if (!short) throw unknownOption(arg, longNames);
      out.push(arg);
      continue;
    }
    if (!allowPositionals) {
      throw new UsageError(`unexpected argument ${JSON.stringify(arg)}: options are written --name value${suggestFor(arg, longNames)}.`);
    }
    out.push(arg);
  }
  return out;
}

function unknownOption(typed: string, longNames: readonly string[]): UsageError {
  const guess = closestMatch(typed.replace(/^-+/, ''), longNames);
  return new UsageError(`unknown option ${typed}${guess ? ` — did you mean --${guess}?` : ''}`);
}

/** `bulkhead stress light`: the word is a value; say which option it may belong to if one is named like it. */
function suggestFor(word: string, longNames: readonly string[]): string {
  const guess = closestMatch(word, longNames);
  return guess ? ` (did you mean --${guess}?)` : '';
}
