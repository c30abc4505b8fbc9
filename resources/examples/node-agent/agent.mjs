// A small research agent governed by bulkhead-governance:
//  - the official OpenAI SDK, through createGovernedFetch (provider limiter per API key, one pause for
//    everyone after a 429, one retry loop, tokens reconciled from usage) with the SDK's own retries off;
//  - an instrumented PostgreSQL pool (bounded, leak detection) for the agent's notes;
//  - a semaphore-bounded fan-out: every question starts at once, at most AGENT_PERMITS run together.
// Environment: OPENAI_BASE_URL and OPENAI_API_KEY (the SDK's own variables), DATABASE_URL,
// optionally AGENT_PERMITS (default 3) and BULKHEAD_REDIS_URL (share limits with other processes).
import OpenAI from 'openai';
import { Semaphore, createGovernedFetch, mapBounded } from 'bulkhead-governance';
import { createPgPool } from 'bulkhead-governance/pg';

const QUESTIONS = [
  'What is a bulkhead in a ship?',
  'Why do unbounded Promise.all fan-outs hurt databases?',
  'What does HTTP 429 mean?',
  'What is a token bucket?',
  'Why should retries use jitter?',
  'What does pg_stat_activity show?',
  'What is a semaphore?',
  'Why share rate limits across processes?',
  'What is a connection leak?',
  'What is exponential backoff?',
  'What is an AbortSignal for?',
  'Why keep the SDK retries off?',
];

const governedFetch = createGovernedFetch({ provider: 'openai', name: 'node-agent.openai' });
// The key and base URL come from OPENAI_API_KEY / OPENAI_BASE_URL; the governed fetch never adds a key.
const openai = new OpenAI({ fetch: governedFetch, maxRetries: 0 });
const pool = createPgPool({ connectionString: process.env.DATABASE_URL, min: 0, max: 4, applicationName: 'node-agent', leakThresholdMs: 5000 });
const agents = new Semaphore({ name: 'node-agent.agents', permits: Number(process.env.AGENT_PERMITS ?? 3) });
const model = process.env.AGENT_MODEL ?? 'gpt-4o-mini';

async function withClient(label, work) {
  const lease = await pool.acquire(label);
  try {
    return await work(lease);
  } finally {
    lease.release();
  }
}

async function answer(question, index, signal) {
  return agents.withPermit(
    async () => {
      const completion = await openai.chat.completions.create(
        { model, max_tokens: 96, messages: [{ role: 'system', content: 'Answer in one sentence.' }, { role: 'user', content: question }] },
        { signal },
      );
      const text = completion.choices[0]?.message.content ?? '';
      await withClient(`note#${index}`, (db) => db.query('INSERT INTO agent_notes (question, answer, tokens) VALUES ($1, $2, $3)', [question, text, completion.usage?.total_tokens ?? 0]));
      return text;
    },
    { label: `question#${index}`, signal },
  );
}

const controller = new AbortController();
process.once('SIGINT', () => controller.abort(new Error('interrupted')));
try {
  await withClient('setup', (db) => db.query('CREATE TABLE IF NOT EXISTS agent_notes (id serial PRIMARY KEY, question text NOT NULL, answer text NOT NULL, tokens int NOT NULL, at timestamptz NOT NULL DEFAULT now())'));
  const started = Date.now();
  const answers = await mapBounded(QUESTIONS, QUESTIONS.length, (question, index, signal) => answer(question, index, signal), { signal: controller.signal });
  answers.forEach((text, index) => console.log(`${String(index + 1).padStart(2)}. ${QUESTIONS[index]}\n    ${text.slice(0, 110)}`));
  const { rows } = await withClient('count', (db) => db.query('SELECT count(*)::int AS notes FROM agent_notes'));
  const stats = governedFetch.stats();
  const semaphore = agents.snapshot();
  const counters = pool.counters();
  console.log(
    JSON.stringify({
      answered: answers.length,
      seconds: Number(((Date.now() - started) / 1000).toFixed(2)),
      notesInDatabase: rows[0].notes,
      provider: { calls: stats.calls, attempts: stats.attempts, retries: stats.retries, http429: stats.http429, usageFrom: stats.usageFrom },
      semaphore: { permits: semaphore.permits, acquired: semaphore.acquired },
      pool: { max: counters.counts.max, acquired: counters.totals.acquired, leaks: counters.leaks.length },
    }),
  );
} finally {
  await governedFetch.close();
  await pool.end();
}
