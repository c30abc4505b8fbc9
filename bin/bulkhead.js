#!/usr/bin/env node
// The `bulkhead` command. In a source checkout it runs the TypeScript directly through tsx; in a
// packaged build it runs the bundled JavaScript.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../electron/cli/main.ts', import.meta.url));
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source);
} else {
  await import('../out/cli/main.js');
}
