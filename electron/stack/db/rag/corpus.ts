import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CorpusDocument {
  /** `corpus/<topic>/<file>.md`: stable identity across ingests. */
  readonly source: string;
  readonly title: string;
  readonly topic: string;
  readonly body: string;
  readonly contentHash: string;
}

/**
 * resources/corpus of this checkout or package, found by walking up from this file (the source tree
 * and the bundle sit at different depths).
 */
export function defaultCorpusDir(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'resources', 'corpus');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

/** Every `*.md` under `dir` (one folder per topic); the first `# ` line is the title. */
export function readCorpus(dir: string): CorpusDocument[] {
  const documents: CorpusDocument[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md') && entry.name !== 'README.md') documents.push(readDocument(dir, path));
    }
  };
  walk(dir);
  return documents;
}

function readDocument(root: string, path: string): CorpusDocument {
  const text = readFileSync(path, 'utf8').replace(/\r\n/g, '\n');
  const rel = relative(root, path).split(sep).join('/');
  const heading = /^#\s+(.+)$/m.exec(text);
  const title = heading?.[1]?.trim() ?? rel.replace(/\.md$/, '');
  const topic = rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : 'general';
  const body = text.replace(/^#\s+.+\n+/, '').trim();
  return { source: `corpus/${rel}`, title, topic, body, contentHash: createHash('sha256').update(`${title}\n${body}`).digest('hex') };
}
