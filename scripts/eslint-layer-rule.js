// ESLint rule: imports only go down the layers DESIGN.md fixes. Relative imports are resolved
// against the importing file and checked by top-level folder; bare `electron` is checked too.
import { dirname, relative, resolve, sep } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');

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
/** Layers that may import the `electron` module. */
const ELECTRON_ALLOWED = new Set(['electron/main', 'electron/preload', 'e2e']);

function layerOf(absolutePath) {
  const rel = relative(ROOT, absolutePath).split(sep).join('/');
  if (rel.startsWith('..')) return null;
  for (const layer of Object.keys(ALLOWED).sort((a, b) => b.length - a.length)) {
    if (rel === layer || rel.startsWith(`${layer}/`)) return layer;
  }
  return null;
}

export const layerImports = {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the import direction between Bulkhead layers' },
    schema: [],
  },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const from = layerOf(file);
    if (!from) return {};
    // Tests of electron code may reach across electron layers (e.g. preload against the host) but never into renderer.
    const isElectronTest = /\.test\.ts$/.test(file) && from.startsWith('electron/');
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      if (source === 'electron' || source.startsWith('electron/')) {
        if (!ELECTRON_ALLOWED.has(from)) {
          context.report({ node, message: `${from} must not import "electron": keep it runnable under plain Node.` });
        }
        return;
      }
      if (!source.startsWith('.')) return;
      const to = layerOf(resolve(dirname(file), source));
      if (isElectronTest && to && (to === 'shared' || to.startsWith('electron/'))) return;
      if (to && !ALLOWED[from].includes(to)) {
        context.report({ node, message: `${from} must not import from ${to} (allowed: ${ALLOWED[from].join(', ')}).` });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};
