// The layer rule itself, on planted files: RuleTester lints each snippet as if it were the named file
// under a throwaway repo root, whose electron/stack tree (for the cycle check) is written to disk first.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RuleTester } from 'eslint';
import { afterAll, describe, it } from 'vitest';
import { layerImports } from './eslint-layer-rule.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.afterAll = afterAll;

const root = mkdtempSync(join(tmpdir(), 'bulkhead-layer-rule-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Files the cycle check reads from disk: target imports stress, so stress importing target closes a cycle. */
const planted = {
  'electron/stack/target/http-target.ts': "import { plan } from '../stress/plan';\nexport const target = plan;\n",
  'electron/stack/stress/plan.ts': "import { now } from '../clock/clock';\nexport const plan = now;\n",
  'electron/stack/clock/clock.ts': 'export const now = () => 0;\n',
  'electron/stack/db/pool.ts': "import { now } from '../clock/clock';\nexport const pool = now;\n",
};
for (const [path, text] of Object.entries(planted)) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

const at = (path, code) => ({ filename: join(root, path), code, options: [{ root }] });
const tester = new RuleTester({ languageOptions: { ecmaVersion: 2022, sourceType: 'module' } });

tester.run('bulkhead/layer-imports', layerImports, {
  valid: [
    // down the sub-layers: features → infrastructure → base
    at('electron/stack/stress/plan.ts', "import { pool } from '../db/pool';"),
    at('electron/stack/db/pool.ts', "import { now } from '../clock/clock';"),
    // target → stress is fine on its own (stress does not import target)
    at('electron/stack/target/http-target.ts', "import { plan } from '../stress/plan';"),
    // a test may use testing helpers of its own or a lower sub-layer, and start the whole stack
    at('electron/stack/db/pool.test.ts', "import { makeTempDir } from '../testing/temp-dir';\nimport { useTestDatabase } from './testing/test-database';"),
    at('electron/stack/stress/plan.test.ts', "import { startStack } from '../stack';"),
    // the stack under plain Node, the renderer with browser packages only
    at('electron/stack/db/pool.ts', "import pg from 'pg';\nimport { readFileSync } from 'node:fs';"),
    at('renderer/src/pages/Page.tsx', "import { useState } from 'react';\nimport { methods } from '../../../shared/contract';"),
    at('renderer/src/testing/setup.ts', "import { cleanup } from '@testing-library/react';\nimport { afterEach } from 'vitest';"),
    at('renderer/src/bridge/host-bridge.node.test.ts', "import { WebSocketServer } from 'ws';\nimport { createServer } from 'node:http';"),
    at('electron/main/window.ts', "import { BrowserWindow } from 'electron';"),
  ],
  invalid: [
    {
      ...at('electron/stack/clock/clock.ts', "import { pool } from '../db/pool';"),
      errors: [{ message: /electron\/stack\/clock \(base\) must not import electron\/stack\/db \(infrastructure\)/ }],
    },
    {
      ...at('electron/stack/concurrency/semaphore.ts', "export { plan } from '../stress/plan';"),
      errors: [{ message: /concurrency \(primitives\) must not import electron\/stack\/stress \(features\)/ }],
    },
    {
      ...at('electron/stack/stress/plan.ts', "import { target } from '../target/http-target';"),
      errors: [{ message: 'import cycle between stack folders: stress → target → stress. Move what both need down a sub-layer, or inject it.' }],
    },
    {
      // tests are no longer exempt: a base-layer test cannot reach an infrastructure helper
      ...at('electron/stack/clock/clock.test.ts', "import { useTestDatabase } from '../db/testing/test-database';"),
      errors: [{ message: /clock \(base\) must not import electron\/stack\/db \(infrastructure\)/ }],
    },
    {
      ...at('electron/stack/db/pool.ts', "import { useTestDatabase } from './testing/test-database';"),
      errors: [{ message: 'only tests and testing helpers may import electron/stack/db/testing/test-database.' }],
    },
    {
      ...at('electron/stack/newfeature/thing.ts', "import { now } from '../clock/clock';"),
      errors: [{ message: /electron\/stack\/newfeature\/thing\.ts is in no stack sub-layer/ }],
    },
    {
      ...at('renderer/src/pages/Page.tsx', "import { startStack } from '../../../electron/stack/stack';"),
      errors: [{ message: 'renderer must not import from electron/stack (allowed: renderer, shared).' }],
    },
    {
      ...at('renderer/src/pages/Page.tsx', "import pg from 'pg';\nimport Database from 'better-sqlite3';\nimport { readFileSync } from 'node:fs';\nimport { join } from 'path';"),
      errors: [{ message: /"pg"/ }, { message: /"better-sqlite3"/ }, { message: /"node:fs"/ }, { message: /"path"/ }],
    },
    {
      ...at('shared/contract/x.ts', "import pg from 'pg';"),
      errors: [{ message: /shared must not import "pg"/ }],
    },
    {
      ...at('electron/stack/db/pool.ts', "import { app } from 'electron';"),
      errors: [{ message: 'electron/stack must not import "electron": keep it runnable under plain Node.' }],
    },
    {
      ...at('renderer/src/pages/Page.test.tsx', "import { app } from 'electron';"),
      errors: [{ message: /renderer must not import "electron"/ }],
    },
  ],
});
