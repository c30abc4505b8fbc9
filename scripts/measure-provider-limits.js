#!/usr/bin/env node
// Measures the governed stack against the independent limit server (scripts/limit-server.js), the way a
// user would: for each provider × bucket shape it starts the server, runs the real CLI
//   bulkhead stress --profile heavy --rate 40 --duration 40 --provider P --provider-url URL --json
// with a throwaway key bound to that URL through the environment (OPENAI_API_KEY / ANTHROPIC_API_KEY +
// --provider-url is an explicit binding, README "Providers"), stops the server and prints what it
// admitted against its capacity, the share of requests it answered 429, and the run's p95.
//   node scripts/measure-provider-limits.js [--provider anthropic|openai] [--window 5|60] [--rate 40] [--duration 40]
// Defaults: both providers, both shapes (quantized: buckets hold 5 s of 1,200 RPM / 200k (I)TPM / 40k
// OTPM; full minute: 60 s). Each run takes about a minute; runs go one after another.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

let values;
try {
  ({ values } = parseArgs({
    options: {
      provider: { type: 'string', multiple: true },
      window: { type: 'string', multiple: true },
      rate: { type: 'string', default: '40' },
      duration: { type: 'string', default: '40' },
    },
  }));
} catch (error) {
  usage(`${error.message}\nusage: node scripts/measure-provider-limits.js [--provider anthropic|openai]... [--window S]... [--rate N] [--duration S]`);
}
const providers = values.provider ?? ['anthropic', 'openai'];
const windows = values.window ?? ['5', '60'];
for (const provider of providers) {
  if (provider !== 'openai' && provider !== 'anthropic') usage(`--provider must be openai or anthropic (got ${JSON.stringify(provider)})`);
}
for (const window of windows) {
  if (!(Number(window) > 0)) usage(`--window must be a number of seconds above 0 (got ${JSON.stringify(window)})`);
}

const root = fileURLToPath(new URL('..', import.meta.url));
const rows = [];
for (const provider of providers) {
  for (const window of windows) rows.push(await measure(provider, window));
}
console.log(`\nheavy profile, --rate ${values.rate} --duration ${values.duration}; limits 1,200 RPM / 200k (I)TPM / 40k OTPM`);
console.log('| provider | buckets hold | admitted | capacity used | 429 share | p95 (ms) |');
console.log('|---|---|---:|---:|---:|---:|');
for (const row of rows) {
  console.log(`| ${row.provider} | ${row.window === '60' ? 'the full minute' : `${row.window} s`} | ${row.admitted} | ${(row.capacityUsed * 100).toFixed(1)} % | ${(row.share429 * 100).toFixed(2)} % | ${Math.round(row.p95)} |`);
}

async function measure(provider, window) {
  const server = spawn(process.execPath, [join(root, 'scripts/limit-server.js'), '--provider', provider, '--window', window], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: server.stdout });
  const iterator = lines[Symbol.asyncIterator]();
  const dataDir = mkdtempSync(join(tmpdir(), 'bulkhead-limits-'));
  try {
    const first = await iterator.next();
    const { url } = JSON.parse(first.value);
    const keyVar = provider === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY';
    const env = { ...process.env, [keyVar]: provider === 'openai' ? 'sk-limit-server-0123456789abcdef' : 'sk-ant-limit-server-0123456789' };
    const providerUrl = provider === 'openai' ? `${url}/v1` : url;
    console.error(`${provider}, buckets of ${window} s: ${url}`);
    const cli = spawn(
      process.execPath,
      [join(root, 'bin/bulkhead.js'), 'stress', '--profile', 'heavy', '--rate', values.rate, '--duration', values.duration, '--provider', provider, '--provider-url', providerUrl, '--json', '--data-dir', dataDir],
      { stdio: ['ignore', 'pipe', 'ignore'], env },
    );
    let output = '';
    cli.stdout.on('data', (chunk) => (output += chunk));
    await once(cli, 'exit');
    const run = JSON.parse(output);
    server.kill('SIGTERM');
    const stats = JSON.parse((await iterator.next()).value);
    return { provider, window, admitted: stats.admitted, capacityUsed: stats.capacityUsed, share429: stats.share429, p95: run.latency_ms.p95 };
  } finally {
    if (server.exitCode === null) server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function usage(message) {
  console.error(message);
  process.exit(2);
}
