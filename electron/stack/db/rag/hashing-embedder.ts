import { createHash } from 'node:crypto';
import { EMBEDDING_DIMENSIONS } from './rag-migrations';

const STOPWORDS = new Set('a an and are as at be by for from has have how in is it its of on or that the this to was what when where which who why will with you your do does can not no'.split(' '));

/**
 * A deterministic, model-free embedding: words (lower-cased, crude plural stripping) hashed into a
 * signed 256-dimension vector and normalised. It is lexical, not semantic — it exists so the pgvector
 * path (column, HNSW index, `<=>` ordering) runs for real without an embedding model or an API key.
 */
export function embedText(text: string, dimensions = EMBEDDING_DIMENSIONS): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const words = (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => !STOPWORDS.has(w)).map((w) => (w.length > 4 && w.endsWith('s') ? w.slice(0, -1) : w));
  for (const word of words) {
    const digest = createHash('sha1').update(word).digest();
    const index = digest.readUInt32BE(0) % dimensions;
    vector[index]! += digest[4]! & 1 ? 1 : -1;
  }
  const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0)) || 1;
  return vector.map((v) => v / norm);
}

/** pgvector's text form: '[0.1,0.2,...]'. */
export function toVectorLiteral(vector: readonly number[]): string {
  return `[${vector.map((v) => (v === 0 ? '0' : v.toFixed(6))).join(',')}]`;
}
