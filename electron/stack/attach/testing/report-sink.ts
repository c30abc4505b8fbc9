import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export interface ReportSink {
  readonly url: string;
  /** Reports received (the bench checks the reporter really reported). */
  readonly received: () => number;
  close(): Promise<void>;
}

/** A WebSocket server on loopback that takes attach messages and discards them (benchmarks). */
export async function startReportSink(): Promise<ReportSink> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  let received = 0;
  server.on('connection', (socket) => {
    socket.on('message', () => {
      received += 1;
    });
    socket.on('error', () => socket.terminate());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/attach?token=bench-sink`,
    received: () => received,
    close: async () => {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
