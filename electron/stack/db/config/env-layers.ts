import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { BulkheadError } from '../../errors';
import { readRegularFileSync } from '../../files/regular-file';

/** One place variables can come from. Layers are listed highest precedence first. */
export interface EnvLayer {
  /** How the UI and the doctor name it: `--url`, `environment`, `--env-file F`, `.env.local`, `.env`. */
  readonly label: string;
  readonly path?: string;
  readonly vars: Readonly<Record<string, string>>;
}

export interface EnvLayerOptions {
  /** The process environment (injected so tests and the CLI can pass their own). */
  env: NodeJS.ProcessEnv;
  /** Where `.env` and `.env.local` are looked for. */
  cwd: string;
  /** `--env-file F`: must exist. */
  envFile?: string | undefined;
  /** `--url URL`: beats everything, as DATABASE_URL. */
  flagUrl?: string | undefined;
  /** How that URL's source is named (default `--url`; the panel says where it was typed). */
  flagLabel?: string | undefined;
}

/**
 * The documented precedence, highest first (the same rule as `node --env-file` and docker compose:
 * the real environment beats files, so a stale .env never silently overrides what you exported):
 *   1. `--url` (doctor) or the URL typed into the Doctor page
 *   2. the process environment
 *   3. `--env-file F`
 *   4. `.env.local` in the working directory
 *   5. `.env` in the working directory
 */
export function readEnvLayers(options: EnvLayerOptions): EnvLayer[] {
  const layers: EnvLayer[] = [];
  if (options.flagUrl !== undefined) layers.push({ label: options.flagLabel ?? '--url', vars: { DATABASE_URL: options.flagUrl } });
  layers.push({ label: 'environment', vars: definedOnly(options.env) });
  if (options.envFile !== undefined) {
    const path = resolve(options.cwd, options.envFile);
    if (!existsSync(path)) {
      throw new BulkheadError('ENV_FILE_NOT_FOUND', `--env-file ${options.envFile}: no such file (looked at ${path}).`, {
        remedy: 'Pass the path of an existing .env file, relative to the current folder or absolute.',
      });
    }
    layers.push({ label: `--env-file ${options.envFile}`, path, vars: readEnvFile(path) });
  }
  for (const name of ['.env.local', '.env']) {
    const path = join(options.cwd, name);
    if (existsSync(path)) layers.push({ label: name, path, vars: readEnvFile(path) });
  }
  return layers;
}

/** A .env file is a few lines; anything bigger is not one. */
const ENV_FILE_MAX_BYTES = 1024 * 1024;

function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    // A regular file only: a FIFO named .env (or --env-file /dev/stdin) is refused, never waited on.
    text = readRegularFileSync(path, { maxBytes: ENV_FILE_MAX_BYTES, what: 'The env file' });
  } catch (error) {
    throw new BulkheadError('ENV_FILE_UNREADABLE', error instanceof BulkheadError ? error.message : `Could not read ${path}.`, {
      remedy: 'Check the file exists, is an ordinary file and is readable by you.',
      cause: error,
    });
  }
  return definedOnly(parseEnv(text));
}

function definedOnly(source: NodeJS.Dict<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) if (value !== undefined) out[key] = value;
  return out;
}

export interface ResolvedVariable {
  readonly name: string;
  readonly value: string;
  readonly source: string;
  /** Lower-precedence layers that also define it (with a different or equal value). */
  readonly shadows: readonly string[];
}

/** The winning value of each named variable, with where it came from and what it hides. */
export function resolveVariables(layers: readonly EnvLayer[], names: readonly string[]): Map<string, ResolvedVariable> {
  const resolved = new Map<string, ResolvedVariable>();
  for (const name of names) {
    const defining = layers.filter((layer) => Object.hasOwn(layer.vars, name) && layer.vars[name] !== '');
    const winner = defining[0];
    if (!winner) continue;
    resolved.set(name, {
      name,
      value: winner.vars[name] ?? '',
      source: winner.label,
      shadows: defining.slice(1).map((layer) => layer.label),
    });
  }
  return resolved;
}
