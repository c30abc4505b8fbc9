// ESLint rule: imports only go down the layers (docs/layers.md says why each layer sits where it does).
//
// 1. Top-level layers: renderer → shared; main, host, cli → stack → shared; nothing imports renderer.
// 2. Sub-layers inside electron/stack: base → primitives → infrastructure → features → composition.
//    A file imports its own sub-layer or lower ones, and folders of one sub-layer form no cycle.
// 3. Packages: the renderer and shared get only what runs in a browser page; only main, preload and
//    e2e may import `electron`.
// Test files follow the same rules. They may also start the whole stack through electron/stack/stack.ts,
// and only test files and other testing helpers may import a `testing/` folder.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

const REPO_ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** Which layers each layer may import from (itself included). */
const ALLOWED = {
  shared: ['shared'],
  renderer: ['renderer', 'shared'],
  'electron/stack': ['electron/stack', 'shared'],
  'electron/host': ['electron/host', 'electron/stack', 'shared'],
  'electron/cli': ['electron/cli', 'electron/host', 'electron/stack', 'shared'],
  'electron/main': ['electron/main', 'electron/host', 'electron/stack', 'shared'],
  'electron/preload': ['electron/preload', 'shared'],
  e2e: ['e2e', 'shared', 'electron/stack', 'electron/host'],
};
/** The preload's test checks its bridge against the real browser host, so it may import the host. */
const TEST_ALLOWED = {
  'electron/preload': ['electron/host'],
};

/** Layers that may import the `electron` package. */
const ELECTRON_ALLOWED = new Set(['electron/main', 'electron/preload', 'e2e']);

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
/**
 * Packages a browser-side layer may import; anything else (pg, better-sqlite3, electron, node built-ins…)
 * is refused. `*.node.test.ts` renderer tests run a real server next to the bridge under test.
 */
const PACKAGES = {
  renderer: { code: ['react', 'react-dom', 'uplot'], test: ['vitest', '@testing-library/'], nodeTest: ['ws', ...NODE_BUILTINS] },
  shared: { code: ['zod'], test: ['vitest'], nodeTest: [] },
  'electron/preload': { code: ['electron'], test: ['vitest'], nodeTest: [] },
};

/** The stack's sub-layers, lowest first. */
export const STACK_LAYERS = ['base', 'primitives', 'infrastructure', 'features', 'composition'];
/**
 * Where each part of electron/stack sits (paths without extension; the longest match wins). A new folder
 * must be added here: the rule reports files in no sub-layer.
 */
export const STACK_PARTS = {
  // base: what everything uses
  clock: 'base',
  log: 'base',
  errors: 'base',
  version: 'base',
  events: 'base',
  store: 'base',
  files: 'base',
  service: 'base',
  testing: 'base',
  'bench/harness': 'base',
  // primitives: semaphores, worker pools, limiters
  concurrency: 'primitives',
  ratelimit: 'primitives',
  // infrastructure: the database, provider clients (and the limiter that governs them), the monitor, secrets
  db: 'infrastructure',
  providers: 'infrastructure',
  'ratelimit/provider': 'infrastructure',
  'ratelimit/provider-governance': 'infrastructure',
  'ratelimit/retry-loop': 'infrastructure',
  'ratelimit/redis-limiter-store': 'infrastructure',
  'ratelimit/fallback-limiter-store': 'infrastructure',
  'ratelimit/redis-connection': 'infrastructure',
  'ratelimit/stack-limiter-store': 'infrastructure',
  monitor: 'infrastructure',
  secrets: 'infrastructure',
  'chaos/proxy': 'infrastructure',
  'chaos/testing': 'infrastructure',
  'process-guards': 'infrastructure',
  'testing/redis-test-server': 'infrastructure',
  'testing/pgbouncer-test-server': 'infrastructure',
  // features: what the contract and the CLI offer
  'stack-core': 'features',
  app: 'features',
  attach: 'features',
  agents: 'features',
  alerts: 'features',
  bench: 'features',
  chaos: 'features',
  demo: 'features',
  doctor: 'features',
  library: 'features',
  regression: 'features',
  stress: 'features',
  target: 'features',
  // composition: the list of features
  stack: 'composition',
};

const isTestFile = (file) => /\.test\.tsx?$/.test(file);
/** Benchmarks and runnable examples start their own servers (redis-server, PostgreSQL) like tests do. */
const isBench = (file) => /\.bench\.ts$/.test(file) || /(^|\/)example\//.test(toPosix(file));
const isNodeTest = (file) => /\.node\.test\.tsx?$/.test(file);
const withoutExtension = (path) => path.replace(/\.(d\.ts|tsx?|jsx?|mjs|cjs)$/, '');
const toPosix = (path) => path.split(sep).join('/');

function topLayerOf(root, absolutePath) {
  const rel = toPosix(relative(root, absolutePath));
  if (rel.startsWith('..')) return null;
  for (const layer of Object.keys(ALLOWED).sort((a, b) => b.length - a.length)) {
    if (rel === layer || rel.startsWith(`${layer}/`)) return layer;
  }
  return null;
}

/** The STACK_PARTS entry a stack file belongs to (its "part"), or null when none matches. */
function stackPartOf(root, absolutePath) {
  const rel = withoutExtension(toPosix(relative(join(root, 'electron/stack'), absolutePath)));
  if (rel.startsWith('..')) return null;
  let best = null;
  for (const part of Object.keys(STACK_PARTS)) {
    const matches = rel === part || rel.startsWith(`${part}/`) || rel.startsWith(`${part}.`); // stack.ts, process-guards.test.ts
    if (matches && (!best || part.length > best.length)) best = part;
  }
  // A test beside stack.ts that matches no part checks the stack as a whole.
  if (!best && !rel.includes('/') && isTestFile(absolutePath)) return 'stack';
  return best;
}

const IMPORT_PATTERN = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;

/** Part → parts it imports, from every non-test file under electron/stack (read once per root and lint run). */
const partGraphs = new Map();
function partGraph(root) {
  let graph = partGraphs.get(root);
  if (graph) return graph;
  graph = new Map();
  const stackDir = join(root, 'electron/stack');
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name) && !isTestFile(entry.name)) {
        const from = stackPartOf(root, path);
        if (!from) continue;
        for (const match of readFileSync(path, 'utf8').matchAll(IMPORT_PATTERN)) {
          const source = match[1] ?? match[2] ?? match[3];
          if (!source?.startsWith('.')) continue;
          const to = stackPartOf(root, resolve(dirname(path), source));
          if (!to || to === from) continue;
          if (!graph.has(from)) graph.set(from, new Set());
          graph.get(from).add(to);
        }
      }
    }
  };
  walk(stackDir);
  partGraphs.set(root, graph);
  return graph;
}

/** A path of parts from `start` back to `target`, or null. */
function pathBetween(graph, start, target) {
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const part = queue.shift();
    if (part === target) {
      const path = [];
      for (let at = part; at !== null; at = previous.get(at)) path.unshift(at);
      return path;
    }
    for (const next of graph.get(part) ?? []) {
      if (!previous.has(next)) {
        previous.set(next, part);
        queue.push(next);
      }
    }
  }
  return null;
}

function packageName(source) {
  if (source.startsWith('node:')) return source;
  const parts = source.split('/');
  return source.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function packageAllowed(allowed, name) {
  return allowed.some((entry) => (entry.endsWith('/') ? name.startsWith(entry) : name === entry));
}

export const layerImports = {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the import direction between Bulkhead layers and the stack sub-layers' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
  },
  create(context) {
    const root = context.options[0]?.root ?? REPO_ROOT;
    const file = context.filename ?? context.getFilename();
    const from = topLayerOf(root, file);
    if (!from) return {};
    // Playwright's e2e folder is test code throughout (specs and their fixtures).
    const test = isTestFile(file) || from === 'e2e';
    const fromPart = from === 'electron/stack' ? stackPartOf(root, file) : null;
    const inTesting = /(^|\/)testing\//.test(toPosix(relative(root, file)));

    const checkPackage = (node, source) => {
      const name = packageName(source);
      if (name === 'electron' && !ELECTRON_ALLOWED.has(from)) {
        context.report({ node, message: `${from} must not import "electron": keep it runnable under plain Node.` });
        return;
      }
      const allowed = PACKAGES[from];
      if (!allowed) return;
      const list = [...allowed.code, ...(test || inTesting ? allowed.test : []), ...(isNodeTest(file) ? allowed.nodeTest : [])];
      if (!packageAllowed(list, name)) {
        context.report({ node, message: `${from} must not import "${name}": it runs in the browser page (allowed packages: ${allowed.code.join(', ')}).` });
      }
    };

    const checkStack = (node, target) => {
      const toPart = stackPartOf(root, target);
      if (!toPart) return; // reported where that file lives
      if (toPart === fromPart) return;
      if (test && toPart === 'stack') return; // a test may start the whole stack
      const fromLayer = STACK_PARTS[fromPart];
      const toLayer = STACK_PARTS[toPart];
      if (STACK_LAYERS.indexOf(toLayer) > STACK_LAYERS.indexOf(fromLayer)) {
        context.report({
          node,
          message: `electron/stack/${fromPart} (${fromLayer}) must not import electron/stack/${toPart} (${toLayer}): imports go down ${STACK_LAYERS.join(' → ')}.`,
        });
        return;
      }
      if (toLayer === fromLayer && !test) {
        const cycle = pathBetween(partGraph(root), toPart, fromPart);
        if (cycle) {
          context.report({ node, message: `import cycle between stack folders: ${[fromPart, ...cycle].join(' → ')}. Move what both need down a sub-layer, or inject it.` });
        }
      }
    };

    const check = (node, source) => {
      if (typeof source !== 'string') return;
      if (!source.startsWith('.')) {
        checkPackage(node, source);
        return;
      }
      const target = resolve(dirname(file), source);
      const to = topLayerOf(root, target);
      if (!to) return;
      const allowed = [...ALLOWED[from], ...(test ? (TEST_ALLOWED[from] ?? []) : [])];
      if (!allowed.includes(to)) {
        context.report({ node, message: `${from} must not import from ${to} (allowed: ${allowed.join(', ')}).` });
        return;
      }
      if (!test && !inTesting && !isBench(file) && /(^|\/)testing(\/|$)/.test(toPosix(relative(root, target)))) {
        context.report({ node, message: `only tests and testing helpers may import ${toPosix(relative(root, target))}.` });
        return;
      }
      if (from === 'electron/stack' && to === 'electron/stack' && fromPart) checkStack(node, target);
    };

    return {
      Program(node) {
        if (from === 'electron/stack' && !fromPart) {
          context.report({ node, message: `${toPosix(relative(root, file))} is in no stack sub-layer: add its folder to STACK_PARTS in scripts/eslint-layer-rule.js.` });
        }
      },
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};
