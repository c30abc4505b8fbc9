import { randomUUID } from 'node:crypto';
import { TEMPLATE_PLACEHOLDER } from '../../../shared/contract/stress-target';
import { questionFor } from '../agents/agent-content';

/** What fills a placeholder for arrival `seq`. */
type Filler = (seq: number) => string;

const FILLERS: Record<string, Filler> = {
  question: (seq) => questionFor(seq),
  seq: (seq) => String(seq),
  uuid: () => randomUUID(),
};

/**
 * A body template compiled once per run into literal parts and fillers, so rendering one request is a
 * join, not a regex pass (the generator runs at thousands of requests per second). A body that is JSON
 * (with every placeholder read as 0) gets its values escaped as JSON string content, so a question with
 * a quote in it cannot break the document.
 */
export class RequestTemplate {
  private readonly literals: string[] = [];
  private readonly fillers: Filler[] = [];
  readonly isJson: boolean;

  constructor(readonly source: string) {
    let last = 0;
    for (const match of source.matchAll(TEMPLATE_PLACEHOLDER)) {
      const filler = FILLERS[match[1]!];
      // Unknown names were refused by the schema; one that slips through stays as written.
      if (!filler) continue;
      this.literals.push(source.slice(last, match.index));
      this.fillers.push(filler);
      last = match.index + match[0].length;
    }
    this.literals.push(source.slice(last));
    this.isJson = parsesAsJson(this.literals.join('0'));
  }

  get hasVariables(): boolean {
    return this.fillers.length > 0;
  }

  render(seq: number): string {
    if (this.fillers.length === 0) return this.source;
    let out = this.literals[0]!;
    for (let i = 0; i < this.fillers.length; i++) {
      const value = this.fillers[i]!(seq);
      out += (this.isJson ? JSON.stringify(value).slice(1, -1) : value) + this.literals[i + 1]!;
    }
    return out;
  }
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
