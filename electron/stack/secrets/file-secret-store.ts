import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BulkheadError } from '../errors';
import { plainCodec, SECRET_NAME, type SecretCodec, type SecretStore } from './secret-store';

export const SECRETS_FILE = 'secrets.json';

interface SecretsFile {
  version: 1;
  codec: string;
  secrets: Record<string, string>;
}

export interface FileSecretStoreOptions {
  /** The file; usually join(dataDir, SECRETS_FILE). */
  path: string;
  codec?: SecretCodec;
  /** Told when the file's permissions were wider than 0600 and have been tightened. */
  onWarning?: (message: string) => void;
}

/**
 * Secrets in one JSON file with mode 0600 (owner read/write only), written atomically (temp file in
 * the same folder, fsync, rename) so a crash never leaves half a file. Operations in this process are
 * serialized; the data dir lock keeps other Bulkhead processes out.
 */
export function createFileSecretStore(options: FileSecretStoreOptions): SecretStore {
  const codec = options.codec ?? plainCodec;
  const path = options.path;
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  const read = (): SecretsFile => {
    if (!existsSync(path)) return { version: 1, codec: codec.name, secrets: {} };
    tightenMode(path, options.onWarning);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new BulkheadError('secrets.unreadable', `The secrets file ${path} is not valid JSON.`, {
        remedy: 'Move it aside and enter the keys again in the panel; Bulkhead will write a fresh file.',
        cause: error,
      });
    }
    const file = parsed as Partial<SecretsFile>;
    if (file.version !== 1 || typeof file.codec !== 'string' || !file.secrets || typeof file.secrets !== 'object') {
      throw new BulkheadError('secrets.unreadable', `The secrets file ${path} has an unknown format.`, {
        remedy: 'Move it aside and enter the keys again in the panel.',
      });
    }
    if (file.codec !== codec.name) {
      throw new BulkheadError('secrets.codec_mismatch', `The secrets file ${path} was written with "${file.codec}" protection, but this process uses "${codec.name}".`, {
        remedy: file.codec === 'plain' ? 'Open it from the browser host (bulkhead serve), or delete it and save the keys again.' : 'Open it from the desktop app that wrote it, or delete it and save the keys again.',
      });
    }
    return file as SecretsFile;
  };

  const write = (file: SecretsFile): void => {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const temp = join(dirname(path), `.${SECRETS_FILE}.${process.pid}.${Date.now()}.tmp`);
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(file, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(temp, path);
    } catch (error) {
      try {
        unlinkSync(temp);
      } catch {
        // already gone
      }
      throw error;
    }
    if (process.platform !== 'win32') chmodSync(path, 0o600);
  };

  return {
    describe: () => ({ kind: 'file', location: path, codec: codec.name }),
    get: (name) =>
      serial(async () => {
        checkName(name);
        const stored = read().secrets[name];
        return stored === undefined ? undefined : await codec.decode(stored);
      }),
    set: (name, value) =>
      serial(async () => {
        checkName(name);
        if (typeof value !== 'string' || value === '') {
          throw new BulkheadError('secrets.empty', `The secret ${name} must be a non-empty string.`, { remedy: 'To remove a secret, delete it instead.' });
        }
        const file = read();
        file.secrets[name] = await codec.encode(value);
        write(file);
      }),
    delete: (name) =>
      serial(async () => {
        checkName(name);
        const file = read();
        if (!(name in file.secrets)) return false;
        delete file.secrets[name];
        write(file);
        return true;
      }),
    list: () => serial(async () => Object.keys(read().secrets).sort()),
  };
}

function checkName(name: string): void {
  if (!SECRET_NAME.test(name)) {
    throw new BulkheadError('secrets.bad_name', `${JSON.stringify(name)} is not a valid secret name.`, {
      remedy: 'Use letters, digits, dots, dashes and underscores, e.g. provider.openai.apiKey.',
    });
  }
}

function tightenMode(path: string, onWarning: ((message: string) => void) | undefined): void {
  if (process.platform === 'win32') return;
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    chmodSync(path, 0o600);
    onWarning?.(`${path} was readable by others (mode ${mode.toString(8)}); it is now 600.`);
  }
}
