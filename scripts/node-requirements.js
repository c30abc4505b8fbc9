// Which Node each part of Bulkhead needs, in one place: package.json `engines`, README and the checks
// below agree with it (electron/cli/node-requirements.test.ts reads all three against the lockfile).
//
// The stack, the CLI, the browser host and the test suite run on Node 20.19 or newer (tested on 20.20).
// The desktop packaging toolchain — Electron 45's own installer and electron-builder 26's rebuild — is
// published for Node 22.12 or newer: `npm ci` on Node 20 prints an EBADENGINE warning for each of the
// packages below, and `npm run dist` refuses to run below 22.12 rather than half-build an installer.

export const NODE_FOR_STACK = '20.19.0';
export const NODE_FOR_PACKAGING = '22.12.0';

/** The packages (lockfile paths) that ask for NODE_FOR_PACKAGING: all Electron packaging tooling. */
export const PACKAGING_TOOLCHAIN = [
  'node_modules/electron',
  'node_modules/@electron/get',
  'node_modules/@electron-internal/extract-zip',
  'node_modules/@electron/rebuild',
  'node_modules/@electron/rebuild/node_modules/node-abi',
];

/** Whether `version` (e.g. process.version, "v20.20.2") is at least `minimum` ("22.12.0"). */
export function atLeast(version, minimum) {
  const parse = (text) => text.replace(/^v/, '').split('.').map((part) => Number.parseInt(part, 10) || 0);
  const [a, b] = [parse(version), parse(minimum)];
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}
