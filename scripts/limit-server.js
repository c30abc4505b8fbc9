#!/usr/bin/env node
// Starts the independent limit server (electron/stack/providers/testing/limit-server) for measuring the
// provider limiter with the real CLI. Prints one JSON line with its URL; Ctrl-C (or SIGTERM) prints what
// it admitted against its capacity and stops. `GET /stats` answers the same at any time.
//   node scripts/limit-server.js --provider anthropic --window 5 [--rpm 1200 --itpm 200000 --otpm 40000]
//   node scripts/limit-server.js --provider openai --window 60 [--rpm 1200 --tpm 200000]
// --window: seconds of the per-minute rate each bucket holds (60 = full minute, 5 = quantized).
// --change-after S --change-factor F: multiply every limit by F after S seconds (limits changing mid-run).
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const USAGE = 'usage: node scripts/limit-server.js [--provider openai|anthropic] [--window S] [--rpm N] [--tpm N] [--itpm N] [--otpm N] [--latency MS] [--port N] [--change-after S --change-factor F]';
const { values } = parseOrExit({
  options: {
    provider: { type: 'string', default: 'anthropic' },
    window: { type: 'string', default: '60' },
    rpm: { type: 'string', default: '1200' },
    tpm: { type: 'string', default: '200000' },
    itpm: { type: 'string', default: '200000' },
    otpm: { type: 'string', default: '40000' },
    latency: { type: 'string', default: '0' },
    port: { type: 'string', default: '0' },
    'change-after': { type: 'string' },
    'change-factor': { type: 'string', default: '0.5' },
  },
});

function parseOrExit(config) {
  try {
    return parseArgs(config);
  } catch (error) {
    console.error(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
}

function positive(name) {
  const value = Number(values[name]);
  if (!Number.isFinite(value) || value < 0) {
    console.error(`--${name} must be a non-negative number (got ${JSON.stringify(values[name])})`);
    process.exit(2);
  }
  return value;
}

if (values.provider !== 'openai' && values.provider !== 'anthropic') {
  console.error(`--provider must be openai or anthropic (got ${JSON.stringify(values.provider)})`);
  process.exit(2);
}
const settings = {
  requestsPerMinute: positive('rpm'),
  tokensPerMinute: positive('tpm'),
  inputTokensPerMinute: positive('itpm'),
  outputTokensPerMinute: positive('otpm'),
  windowSeconds: positive('window'),
};
if (settings.windowSeconds === 0) {
  console.error('--window must be above 0: the seconds of the per-minute rate each bucket holds (60 = the full minute, 5 = quantized)');
  process.exit(2);
}
const source = fileURLToPath(new URL('../electron/stack/providers/testing/limit-server/limit-server.ts', import.meta.url));
const { register } = await import('tsx/esm/api');
register();
const { startLimitServer } = await import(source);
const server = await startLimitServer({ provider: values.provider, ...settings, latencyMs: positive('latency'), port: positive('port') });
console.log(JSON.stringify({ url: server.url, provider: values.provider, ...settings }));

let changeTimer = null;
if (values['change-after'] !== undefined) {
  const factor = positive('change-factor');
  changeTimer = setTimeout(() => {
    const scaled = Object.fromEntries(Object.entries(settings).map(([key, value]) => [key, key === 'windowSeconds' ? value : Math.round(value * factor)]));
    server.setLimits(scaled);
    console.error(`limits changed ×${factor}: ${JSON.stringify(scaled)}`);
  }, positive('change-after') * 1000);
}

async function finish() {
  if (changeTimer) clearTimeout(changeTimer);
  console.log(JSON.stringify(server.stats()));
  await server.stop();
  process.exit(0);
}
process.once('SIGINT', finish);
process.once('SIGTERM', finish);
