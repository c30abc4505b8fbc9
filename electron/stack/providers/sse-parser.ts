export interface SseEvent {
  /** The `event:` field, or 'message' when absent (the SSE default). */
  event: string;
  data: string;
}

/**
 * Incremental Server-Sent Events parser (the WHATWG rules that matter for LLM APIs): events end at a
 * blank line; `data:` lines join with "\n"; one leading space after the colon is dropped; lines
 * starting with ":" are comments; CRLF, LF and CR line ends all work, even split across chunks.
 */
export class SseParser {
  private buffer = '';
  private eventName = '';
  private dataLines: string[] = [];
  private lastWasCR = false;

  /** Feeds decoded text; returns the events completed by it. */
  push(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    let chunk = text;
    // A CR at the end of the previous chunk may be the first half of CRLF.
    if (this.lastWasCR && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.lastWasCR = chunk.endsWith('\r');
    this.buffer += chunk;
    let start = 0;
    for (;;) {
      const lf = this.buffer.indexOf('\n', start);
      const cr = this.buffer.indexOf('\r', start);
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        end = cr;
        next = this.buffer[cr + 1] === '\n' ? cr + 2 : cr + 1;
      } else if (lf !== -1) {
        end = lf;
        next = lf + 1;
      } else break;
      this.line(this.buffer.slice(start, end), events);
      start = next;
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  /** Call at end of stream: an event not closed by a blank line is still delivered (lenient). */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.buffer !== '') this.line(this.buffer, events);
    this.buffer = '';
    this.dispatch(events);
    return events;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line === '') {
      this.dispatch(events);
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.dataLines.push(value);
    else if (field === 'event') this.eventName = value;
  }

  private dispatch(events: SseEvent[]): void {
    if (this.dataLines.length > 0) events.push({ event: this.eventName || 'message', data: this.dataLines.join('\n') });
    this.dataLines = [];
    this.eventName = '';
  }
}
