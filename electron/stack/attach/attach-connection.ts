import type { WebSocket } from 'ws';
import {
  AttachClientMessageSchema,
  type AttachRefusalCode,
  type AttachServerMessage,
} from '../../../shared/contract/attach';
import type { Clock } from '../clock/clock';
import type { Logger } from '../log/logger';
import type { AttachedProcesses } from './attached-processes';

export interface AttachConnectionOptions {
  processes: AttachedProcesses;
  clock: Clock;
  log: Logger;
  reportIntervalMs: number;
  /** Messages per second one connection may send before it is closed (a report every 10 ms is plenty). */
  maxMessagesPerSecond: number;
}

/** WebSocket close code for a message the endpoint refuses (RFC 6455 "policy violation"). */
export const CLOSE_POLICY = 1008;

/**
 * One attached process's connection: hello first, then reports. Anything else — a call to a panel
 * method, bad JSON, a message that does not match the schema, a flood — is answered with one `refused`
 * message naming the reason and the connection is closed; the rest of the panel never sees it.
 */
export function serveAttachConnection(socket: WebSocket, options: AttachConnectionOptions): void {
  const { processes, clock, log } = options;
  let processId: string | null = null;
  let windowStart = clock.now();
  let inWindow = 0;

  const refuse = (code: AttachRefusalCode, message: string): void => {
    // Logged without the content refused: it came from outside and may be anything.
    log.warn(`attach: refused a message (${code})${processId ? ` from process ${processId}` : ''}; connection closed`);
    send({ type: 'refused', code, message });
    socket.close(CLOSE_POLICY, code);
  };
  const send = (message: AttachServerMessage): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };

  socket.on('message', (data, isBinary) => {
    if (socket.readyState !== socket.OPEN) return;
    const now = clock.now();
    if (now - windowStart >= 1000) {
      windowStart = now;
      inWindow = 0;
    }
    inWindow += 1;
    if (inWindow > options.maxMessagesPerSecond) {
      refuse('too_fast', `More than ${options.maxMessagesPerSecond} messages in a second; send one report per interval (${options.reportIntervalMs} ms).`);
      return;
    }
    if (isBinary) {
      refuse('bad_message', 'Binary frames are not part of the attach protocol; send JSON text.');
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(data.toString());
    } catch {
      refuse('bad_message', 'The message is not valid JSON.');
      return;
    }
    if (looksLikeACall(raw)) {
      refuse('report_only', 'The attach channel is report-only: it takes hello and report messages, never calls to the panel.');
      return;
    }
    const parsed = AttachClientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'the message';
      refuse('bad_message', `${where} does not match the attach protocol (${issue?.message ?? 'invalid'}); see docs/attach-protocol.md.`);
      return;
    }
    const message = parsed.data;
    if (message.type === 'hello') {
      if (processId !== null) {
        refuse('bad_message', 'hello was already sent on this connection; send reports.');
        return;
      }
      processId = processes.connect(message);
      log.info(`attach: process ${processId} connected (pid ${message.pid})`);
      send({ type: 'welcome', processId, reportIntervalMs: options.reportIntervalMs });
      return;
    }
    if (processId === null) {
      refuse('hello_first', 'Send hello before the first report.');
      return;
    }
    processes.report(processId, message);
  });

  socket.on('close', () => {
    if (processId !== null) {
      processes.disconnect(processId);
      log.info(`attach: process ${processId} disconnected`);
    }
  });
  socket.on('error', () => socket.terminate());
}

/** JSON-RPC requests, the panel's own `{method, params}` and `{type: 'call'}` shapes. */
function looksLikeACall(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  const record = raw as Record<string, unknown>;
  return 'method' in record || record.type === 'call' || record.type === 'subscribe';
}
