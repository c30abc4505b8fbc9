/**
 * Where Bulkhead keeps secrets it was given in the panel (API keys, database passwords). Values leave a
 * store only through `get`; everything else (list, describe) sees names. Host mode uses the 0600 JSON
 * file (file-secret-store.ts); the desktop app plugs Electron's safeStorage in as a SecretCodec, so
 * both share one file format and one implementation.
 */
export interface SecretStore {
  /** Where the secrets are, for display ("~/.config/Bulkhead/secrets.json (safeStorage)"). */
  describe(): { kind: string; location: string; codec: string };
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  /** True when something was deleted. */
  delete(name: string): Promise<boolean>;
  /** Names only, sorted. */
  list(): Promise<string[]>;
}

/**
 * Turns a secret into what is written to disk and back. `plain` writes it as is (protected by the
 * file's 0600 mode); Electron main implements one with safeStorage.encryptString/decryptString.
 */
export interface SecretCodec {
  /** Recorded in the file, so a file written by one codec is not misread by another. */
  readonly name: string;
  encode(plain: string): string | Promise<string>;
  decode(stored: string): string | Promise<string>;
}

export const plainCodec: SecretCodec = {
  name: 'plain',
  encode: (plain) => plain,
  decode: (stored) => stored,
};

/** Secret names: dotted words, e.g. provider.openai.apiKey. Keeps the file readable and names safe to show. */
export const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
