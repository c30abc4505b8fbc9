#!/usr/bin/env node
// Measures the provider simulator's throughput the way wrk does: N keep-alive connections in a closed
// loop for a fixed time, in this process, against `bulkhead simulator` running in its own process with
// limits off and latency 0. Prints requests/s per route (OpenAI JSON, Anthropic JSON, OpenAI SSE).
//   node scripts/simulator-throughput.js [--connections 32] [--seconds 10]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

const { values } = parseArgs({ options: { connections: { type: 'string', default: '32' }, seconds: { type: 'string', default: '10' } } });
const connections = Number(values.connections);
const seconds = Number(values.seconds);

const bin = fileURLToPath(new URL('../bin/bulkhead.js', import.meta.url));
const child = spawn(process.execPath, [bin, 'simulator', '--json', '--rpm', '0', '--tpm', '0', '--otpm', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const [line] = await once(child.stdout, 'data');
  const info = JSON.parse(String(line));
  const question = 'What is a connection pool and why does it matter for an agent stack?';
  const routes = [
    { name: 'OpenAI /v1/chat/completions (JSON)', path: '/v1/chat/completions', headers: { authorization: 'Bearer sk-sim' }, body: { model: 'gpt-4o-mini', max_tokens: 64, messages: [{ role: 'user', content: question }] } },
    { name: 'Anthropic /v1/messages (JSON)', path: '/v1/messages', headers: { 'x-api-key': 'sk-ant-sim' }, body: { model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user', content: question }] } },
    { name: 'OpenAI /v1/chat/completions (SSE)', path: '/v1/chat/completions', headers: { authorization: 'Bearer sk-sim' }, body: { model: 'gpt-4o-mini', max_tokens: 64, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: question }] } },
  ];
  console.log(`simulator ${info.url}, ${connections} connections, ${seconds} s per route, machine: ${process.platform} ${process.arch}, node ${process.version}`);
  for (const route of routes) {
    const result = await load(info.url, route, connections, seconds * 1000);
    console.log(`${route.name.padEnd(38)} ${String(Math.round(result.perSecond)).padStart(7)} req/s   (${result.total} requests, non-200: ${result.failed})`);
  }
} finally {
  child.kill('SIGTERM');
  await once(child, 'exit');
}

async function load(origin, route, connections, durationMs) {
  const pool = new Pool(origin, { connections, pipelining: 1 });
  const body = JSON.stringify(route.body);
  const headers = { 'content-type': 'application/json', ...route.headers };
  const warmupEnd = performance.now() + 1000;
  const end = warmupEnd + durationMs;
  let total = 0;
  let failed = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const response = await pool.request({ path: route.path, method: 'POST', headers, body });
      await response.body.dump({ limit: Infinity });
      if (performance.now() < warmupEnd) continue;
      total += 1;
      if (response.statusCode !== 200) failed += 1;
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  await pool.close();
  return { total, failed, perSecond: total / (durationMs / 1000) };
}
