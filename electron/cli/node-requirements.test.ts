import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atLeast, NODE_FOR_PACKAGING, NODE_FOR_STACK, PACKAGING_TOOLCHAIN } from '../../scripts/node-requirements.js';
import { REPO_ROOT } from './testing/run-bulkhead';

// npm's own range semantics, from the semver package npm and its tooling install with every tree.
const semver = createRequire(import.meta.url)('semver') as { satisfies(version: string, range: string): boolean };

interface LockEntry {
  engines?: { node?: string };
  dev?: boolean;
  optional?: boolean;
}

const read = (file: string): string => readFileSync(join(REPO_ROOT, file), 'utf8');
const pkg = JSON.parse(read('package.json')) as { engines: { node: string }; scripts: Record<string, string> };
const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, LockEntry> };
const readme = read('README.md');

/** Lockfile packages whose declared Node range leaves out `version`. */
function refusing(version: string, which: (entry: LockEntry) => boolean): string[] {
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && which(entry) && entry.engines?.node && !semver.satisfies(version, entry.engines.node))
    .map(([path]) => path)
    .sort();
}

describe('Node requirements: package.json, README and the lockfile agree', () => {
  it(`engines says what the stack, CLI and tests need (Node ${NODE_FOR_STACK}), and this Node meets it`, () => {
    expect(pkg.engines.node).toBe(`>=${NODE_FOR_STACK.replace(/\.0$/, '')}`);
    expect(semver.satisfies(process.version, pkg.engines.node)).toBe(true);
  });

  it(`no runtime dependency asks for more than Node ${NODE_FOR_STACK}`, () => {
    expect(refusing(NODE_FOR_STACK, (entry) => !entry.dev)).toEqual([]);
  });

  it(`the dev tools that ask for more are exactly the Electron packaging toolchain (Node ${NODE_FOR_PACKAGING}), and README names each`, () => {
    // Optional platform binaries (rolldown's for other OSes) are skipped by npm where they do not apply.
    expect(refusing(NODE_FOR_STACK, (entry) => entry.dev === true && !entry.optional)).toEqual([...PACKAGING_TOOLCHAIN].sort());
    for (const path of PACKAGING_TOOLCHAIN) {
      expect(semver.satisfies(NODE_FOR_PACKAGING, lock.packages[path]!.engines!.node!)).toBe(true);
      expect(readme).toContain(`\`${path.split('node_modules/').at(-1)}\``);
    }
  });

  it('README states both requirements and what was tested; `npm run dist` checks the packaging one first', () => {
    expect(readme).toContain(`Node.js ≥ ${NODE_FOR_STACK.replace(/\.0$/, '')}`);
    expect(readme).toContain(`Node.js ≥ ${NODE_FOR_PACKAGING.replace(/\.0$/, '')}`);
    expect(readme).toMatch(/tested on Node 20\.20/);
    expect(pkg.scripts.dist).toMatch(/^node scripts\/check-node-for-packaging\.js && /);
    expect(atLeast('v20.20.2', NODE_FOR_PACKAGING)).toBe(false);
    expect(atLeast('v22.12.0', NODE_FOR_PACKAGING)).toBe(true);
    expect(atLeast('v24.1.0', NODE_FOR_PACKAGING)).toBe(true);
  });
});
