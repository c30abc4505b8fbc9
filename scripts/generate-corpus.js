#!/usr/bin/env node
// Writes the sample RAG corpus into resources/corpus/<topic>/<slug>.md from scripts/corpus-knowledge.js.
// Deterministic: the same knowledge always gives byte-identical files (seeded PRNG, sorted output), so
// re-running it changes nothing unless the knowledge changed, and the ingest skips unchanged documents.
//   node scripts/generate-corpus.js [--out resources/corpus]
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { topics } from './corpus-knowledge.js';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'resources/corpus' } } });
const outDir = values.out;

/** mulberry32: tiny seeded PRNG, so "random" choices are the same on every run. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(text) {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

function pick(random, list, count) {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, count);
}

// Lower-case the first letter for mid-sentence use, but leave acronyms (EXPLAIN, HTTP, TLS) alone.
const lower = (s) => (/^[A-Z]{2}/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1));
const slugify = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Ten ways to write about one subject; each returns { title, paragraphs }. */
const angles = [
  (s, r) => ({
    title: `${s.name}: an overview`,
    paragraphs: [pick(r, s.facts, 3).join(' '), pick(r, s.facts, 2).join(' '), `In short: ${lower(pick(r, s.fixes, 1)[0])}`],
  }),
  (s, r) => ({
    title: `Common mistakes with ${lower(s.name)}`,
    paragraphs: [`Teams run into the same problems with ${lower(s.name)} again and again.`, ...s.pitfalls.map((p, i) => `Mistake ${i + 1}: ${p} ${pick(r, s.fixes, 1)[0]}`)],
  }),
  (s, r) => ({
    title: `How to measure ${lower(s.name)}`,
    paragraphs: [pick(r, s.facts, 2).join(' '), ...s.measures, `Once the numbers are visible, the usual fix is simple: ${lower(pick(r, s.fixes, 1)[0])}`],
  }),
  (s, r) => ({
    title: `Fixing problems with ${lower(s.name)}`,
    paragraphs: [`Symptoms usually look like this: ${lower(pick(r, s.pitfalls, 1)[0])}`, ...s.fixes.map((f) => `${f} ${pick(r, s.facts, 1)[0]}`)],
  }),
  (s, r) => ({
    title: `${s.name}: frequently asked questions`,
    paragraphs: [
      `What is the key idea? ${s.facts[0]}`,
      `What goes wrong most often? ${pick(r, s.pitfalls, 1)[0]}`,
      `How do I see it happening? ${pick(r, s.measures, 1)[0]}`,
      `What should I change first? ${s.fixes[0]}`,
    ],
  }),
  (s, r) => ({
    title: `Checklist: ${lower(s.name)}`,
    paragraphs: [`Use this list when reviewing code or configuration that involves ${lower(s.name)}.`, ...pick(r, [...s.fixes, ...s.measures], 4).map((line) => `- ${line}`)],
  }),
  (s, r) => ({
    title: `Incident review: ${lower(s.name)} in production`,
    paragraphs: [
      `What happened: ${lower(pick(r, s.pitfalls, 1)[0])} Under normal traffic nothing was visible; under a burst of agent requests the service slowed down and then failed.`,
      `Why: ${pick(r, s.facts, 2).join(' ')}`,
      `How it was found: ${lower(pick(r, s.measures, 1)[0])}`,
      `What changed afterwards: ${pick(r, s.fixes, 2).join(' ')}`,
    ],
  }),
  (s, r) => ({
    title: `${s.name} explained for new team members`,
    paragraphs: [s.facts[0], pick(r, s.facts.slice(1), 2).join(' '), `The trap to avoid: ${lower(pick(r, s.pitfalls, 1)[0])}`],
  }),
  (s, r, all) => {
    const other = all.find((x) => x.subject === s.related) ?? s;
    return {
      title: `${s.name} and ${lower(other.name)}`,
      paragraphs: [pick(r, s.facts, 2).join(' '), pick(r, other.facts, 2).join(' '), `They fail together: ${lower(pick(r, s.pitfalls, 1)[0])} ${pick(r, other.fixes, 1)[0]}`],
    };
  },
  (s, r) => ({
    title: `Design review notes on ${lower(s.name)}`,
    paragraphs: [`Questions a reviewer should ask about ${lower(s.name)}:`, `Is this true of our design? ${pick(r, s.facts, 1)[0]}`, `Are we safe from this? ${pick(r, s.pitfalls, 1)[0]}`, `Do we have this in place? ${pick(r, s.fixes, 1)[0]} ${pick(r, s.measures, 1)[0]}`],
  }),
];

const allSubjects = Object.values(topics).flat();
let written = 0;
for (const [topic, subjects] of Object.entries(topics)) {
  const dir = join(outDir, topic);
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) if (name.endsWith('.md')) rmSync(join(dir, name));
  for (const subject of subjects) {
    angles.forEach((angle, index) => {
      const random = prng(seedOf(`${topic}/${subject.subject}/${index}`));
      const { title, paragraphs } = angle(subject, random, allSubjects);
      const text = `# ${title}\n\n${paragraphs.join('\n\n')}\n`;
      writeFileSync(join(dir, `${slugify(subject.subject)}-${String(index + 1).padStart(2, '0')}-${slugify(title).slice(0, 48)}.md`), text);
      written += 1;
    });
  }
}
writeFileSync(
  join(outDir, 'README.md'),
  `# Sample RAG corpus\n\n${written} short documents in ${Object.keys(topics).length} topics (${Object.keys(topics).join(', ')}), generated by\n\`node scripts/generate-corpus.js\` from scripts/corpus-knowledge.js. Bulkhead loads every \`*.md\` here into\nrag_documents/rag_chunks at start (idempotent: unchanged files are skipped). The first \`# \` line is the\ntitle, the folder is the topic. Add your own Markdown files to search them too.\n`,
);
console.log(`wrote ${written} documents to ${outDir}`);
