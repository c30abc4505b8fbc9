/**
 * Splits a document into chunks of whole paragraphs, each at most `maxChars` (a paragraph longer than
 * that is split at sentence ends). Small chunks rank better in full-text search and fit a prompt.
 */
export function chunkDocument(body: string, maxChars = 700): string[] {
  const paragraphs = body
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '' && !p.startsWith('# '));
  const pieces = paragraphs.flatMap((p) => (p.length <= maxChars ? [p] : splitSentences(p, maxChars)));
  const chunks: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current !== '' && current.length + 1 + piece.length > maxChars) {
      chunks.push(current);
      current = '';
    }
    current = current === '' ? piece : `${current}\n${piece}`;
  }
  if (current !== '') chunks.push(current);
  return chunks;
}

function splitSentences(paragraph: string, maxChars: number): string[] {
  const sentences = paragraph.match(/[^.!?]+[.!?]+(\s|$)|[^.!?]+$/g) ?? [paragraph];
  const out: string[] = [];
  let current = '';
  for (const raw of sentences) {
    const sentence = raw.trim();
    if (current !== '' && current.length + 1 + sentence.length > maxChars) {
      out.push(current);
      current = '';
    }
    current = current === '' ? sentence.slice(0, maxChars) : `${current} ${sentence}`;
  }
  if (current !== '') out.push(current);
  return out;
}
