/**
 * Finds the end of the first Server-Sent Event that carries data — the first token of a streamed LLM
 * answer — in a body arriving in chunks. Comment lines (`: keep-alive`) and events without a `data:`
 * line do not count. Only the start of the stream is read; the caller stops feeding once it answered.
 */
export class SseFirstEvent {
  private pending = '';
  private sawData = false;
  private readonly decoder = new TextDecoder();

  /** Feeds one chunk; true once a data event has been completed (a blank line after a `data:` line). */
  push(chunk: Uint8Array): boolean {
    this.pending += this.decoder.decode(chunk, { stream: true });
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.pending);
      if (!match) break;
      const line = this.pending.slice(0, match.index);
      // A lone \r at the very end may be the first half of \r\n: wait for the next chunk.
      if (match[0] === '\r' && match.index === this.pending.length - 1) break;
      this.pending = this.pending.slice(match.index + match[0].length);
      if (line === '') {
        if (this.sawData) return true;
        continue;
      }
      if (line === 'data' || line.startsWith('data:')) this.sawData = true;
    }
    // A line longer than this is not an SSE preamble worth waiting for: keep only its tail.
    if (this.pending.length > 65_536) this.pending = this.pending.slice(-1024);
    return false;
  }
}
