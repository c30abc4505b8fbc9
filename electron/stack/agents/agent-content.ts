import { createHash } from 'node:crypto';
import type { CorpusDocument } from '../db/rag/corpus';

/**
 * What the agents ask and ingest during stress runs: deterministic by request index, so two runs of
 * the same profile send the same work and an A/B comparison differs only in the stack's mode.
 */

const QUESTIONS: readonly string[] = [
  'Why does the pool report timeout exceeded when trying to connect?',
  'How should an agent honour retry-after on a 429 rate limit answer?',
  'What happens when PostgreSQL runs out of connection slots?',
  'How do I size max connections for a pool shared by several workers?',
  'Why do parallel agents retry in a herd after a rate limit?',
  'How does a token bucket pace requests against a tokens per minute limit?',
  'What does sslmode require mean for node-postgres connections?',
  'How do I find a leaked database client that is never released?',
  'When is an overloaded 529 answer different from a 429?',
  'Why does localhost inside a Docker container refuse connections?',
  'How should a semaphore bound concurrent tool calls of an agent?',
  'What is coordinated omission and why does it hide latency?',
  'How does PgBouncer change the number of server connections?',
  'Why do unbounded Promise.all fan-outs exhaust the database?',
  'How long should a statement timeout be for retrieval queries?',
  'What does the x-ratelimit-reset-tokens header mean?',
];

/** The question of request `index`. */
export function questionFor(index: number): string {
  return QUESTIONS[index % QUESTIONS.length]!;
}

/**
 * The retrieval sub-queries of one question (the question itself, its key terms, and a narrower
 * phrase), as agents do to widen recall. Governed mode runs them through a bounded map on pooled
 * connections; unbounded mode fires them all at once on fresh connections.
 */
export function subQueriesFor(question: string): string[] {
  const words = question
    .toLowerCase()
    .replace(/[^a-z0-9\s-]/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 3 && !STOP_WORDS.has(w));
  const keyTerms = words.slice(0, 4).join(' ');
  const narrow = words.slice(-3).join(' ');
  return [question, keyTerms || question, narrow || question];
}

const STOP_WORDS = new Set(['what', 'when', 'does', 'should', 'with', 'that', 'this', 'from', 'into', 'their', 'there', 'about', 'after', 'mean', 'inside']);

const PARAGRAPHS: readonly string[] = [
  'A bounded pool keeps the number of server connections below what PostgreSQL allows. Requests beyond the bound wait for a free client instead of opening a new connection, and a wait that lasts too long fails with a clear timeout.',
  'Rate limits are enforced per minute with token buckets. A request is charged up front at its maximum output tokens, so large max_tokens values consume the budget even when the answer is short.',
  'Retries must back off and honour retry-after. Immediate retries from many agents at once turn one rate limit answer into a storm of them.',
  'Agents fan out to tools and retrieval. Without a bound, a burst of questions becomes a burst of connections, and the database answers with too many clients already.',
  'Latency must be measured from when a request should have started. Measuring from when it actually started hides the time it spent waiting behind slow requests.',
  'Worker threads keep CPU-heavy chunking off the event loop. A bounded queue in front of them sheds load instead of growing memory without limit.',
];

/** A synthetic document for ingest request `index` of run `runId` (removed again when the run ends). */
export function ingestDocumentFor(runId: string, index: number): CorpusDocument {
  const count = 3 + (index % 4);
  const body = Array.from({ length: count }, (_, i) => PARAGRAPHS[(index + i) % PARAGRAPHS.length]!).join('\n\n');
  const title = `Stress note ${index}`;
  return {
    source: `${ingestSourcePrefix(runId)}${index}`,
    title,
    topic: 'stress',
    body,
    contentHash: createHash('sha256').update(`${title}\n${body}`).digest('hex'),
  };
}

export function ingestSourcePrefix(runId: string): string {
  return `stress/${runId}/`;
}
