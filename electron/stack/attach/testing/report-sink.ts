import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export interface ReportSink {
  readonly url: string;
  close(): Promise<void>;
}

const REPO_ROOT = resolve(import.meta.dirname, '../../../..');

/** The sink: a ws server on loopback that takes every message and discards it; prints its port. */
const SINK_SOURCE = `
const { WebSocketServer } = require('ws');
const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
server.on('listening', () => process.stdout.write(String(server.address().port) + '\\n'));
server.on('connection', (socket) => { socket.on('message', () => {}); socket.on('error', () => socket.terminate()); });
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

/**
 * A stand-in for the panel in benchmarks: a WebSocket server in a child process (as the panel is a
 * process of its own), so receiving reports costs the measured process nothing it would not pay
 * against a real panel. Ends when `close` closes its stdin.
 */
export async function startReportSink(): Promise<ReportSink> {
  const child = spawn(process.execPath, ['-e', SINK_SOURCE], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const port = await new Promise<number>((done, fail) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
      const match = /^(\d+)\n/.exec(out);
      if (match?.[1]) done(Number(match[1]));
    });
    void exited.then(() => fail(new Error('the benchmark report sink exited before it listened')));
  });
  return {
    url: `ws://127.0.0.1:${port}/attach?token=bench-sink`,
    close: async () => {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}
