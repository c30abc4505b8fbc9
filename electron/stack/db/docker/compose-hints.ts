import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ComposeService {
  readonly name: string;
  readonly image: string | null;
  /** host port → container port, from `ports:` ("5433:5432", "127.0.0.1:5433:5432", long syntax). */
  readonly published: readonly { host: number; container: number }[];
}

export interface ComposeHints {
  readonly file: string;
  readonly services: readonly ComposeService[];
}

const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/**
 * The compose file in the working directory, read just enough to turn "db:5432 does not resolve" into
 * "from the host use localhost:5433". A small line reader, not a YAML parser: it understands the
 * usual shape (services → name → image/ports) and returns nothing rather than guess on anything else.
 */
export function readComposeHints(cwd: string): ComposeHints | null {
  for (const name of COMPOSE_FILES) {
    const file = join(cwd, name);
    if (!existsSync(file)) continue;
    try {
      return { file, services: parseComposeServices(readFileSync(file, 'utf8')) };
    } catch {
      return null;
    }
  }
  return null;
}

export function parseComposeServices(text: string): ComposeService[] {
  const lines = text.split(/\r?\n/).map((line) => line.replace(/\s+#.*$/, '')).filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  const services: { name: string; image: string | null; published: { host: number; container: number }[] }[] = [];
  let inServices = false;
  let serviceIndent = -1;
  let current: (typeof services)[number] | null = null;
  let inPorts = false;
  let portsIndent = -1;
  let longPort: { host?: number; container?: number } | null = null;
  const flushLongPort = (): void => {
    if (current && longPort?.host !== undefined && longPort.container !== undefined) current.published.push({ host: longPort.host, container: longPort.container });
    longPort = null;
  };
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    const trimmed = line.trim();
    if (indent === 0) {
      flushLongPort();
      inServices = trimmed === 'services:';
      current = null;
      inPorts = false;
      continue;
    }
    if (!inServices) continue;
    if (serviceIndent < 0) serviceIndent = indent;
    if (indent === serviceIndent && /^[\w.-]+:$/.test(trimmed)) {
      flushLongPort();
      current = { name: trimmed.slice(0, -1), image: null, published: [] };
      services.push(current);
      inPorts = false;
      continue;
    }
    if (!current) continue;
    if (inPorts && indent > portsIndent) {
      const short = /^-\s*["']?(?:[\d.]+:)?(\d+)(?:-\d+)?:(\d+)(?:\/\w+)?["']?$/.exec(trimmed);
      if (short) {
        current.published.push({ host: Number(short[1]), container: Number(short[2]) });
        continue;
      }
      if (trimmed.startsWith('-')) flushLongPort();
      const target = /^-?\s*target:\s*(\d+)/.exec(trimmed);
      const published = /^-?\s*published:\s*["']?(\d+)/.exec(trimmed);
      if (target || published || trimmed.startsWith('-')) longPort ??= {};
      if (target && longPort) longPort.container = Number(target[1]);
      if (published && longPort) longPort.host = Number(published[1]);
      continue;
    }
    if (inPorts) flushLongPort();
    inPorts = false;
    const image = /^image:\s*["']?([^"'\s]+)/.exec(trimmed);
    if (image) current.image = image[1] ?? null;
    if (trimmed === 'ports:') {
      inPorts = true;
      portsIndent = indent;
    }
  }
  flushLongPort();
  return services;
}

/** The service that most likely runs PostgreSQL: named like it, or using a postgres image. */
export function findPostgresService(hints: ComposeHints, name?: string): ComposeService | undefined {
  if (name) {
    const byName = hints.services.find((service) => service.name === name);
    if (byName) return byName;
  }
  return hints.services.find((service) => /postgres|pgvector|timescale|supabase/i.test(service.image ?? '') || /^(db|postgres|postgresql|pg|database)$/i.test(service.name));
}
