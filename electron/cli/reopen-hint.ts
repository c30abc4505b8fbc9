import { resolveDataDir } from '../stack/store/data-dir';

/**
 * The exact command that prints a new panel link for `dataDir`: `--data-dir` is spelled out unless
 * it is the default folder, so the line works when pasted into any terminal.
 */
export function reopenCommand(dataDir: string): string {
  const isDefault = resolveDataDir({ env: {} }) === dataDir;
  return `npx bulkhead open${isDefault ? '' : ` --data-dir ${shellQuote(dataDir)}`}`;
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
