/**
 * One of the four "agent processes" of shared-limits.bench.ts: sends chat completions to the simulator at
 * a fixed arrival rate (open loop: arrivals do not wait for answers) through createGovernedFetch, on
 * its own in-memory limits or on limits shared through Redis, then prints its counts as one JSON line.
 */
import { createGovernedFetch } from '../governed-fetch';

const simUrl = process.env.SIM_URL!;
const mode = process.env.MODE === 'redis' ? 'redis' : 'memory';
const ratePerSec = Number(process.env.RATE_PER_SEC);
const durationMs = Number(process.env.DURATION_MS);
const governed = createGovernedFetch({
  provider: 'openai',
  name: `worker-${process.pid}`,
  store: mode === 'redis' ? { redis: process.env.REDIS_URL! } : 'memory',
});
const body = JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 16, messages: [{ role: 'user', content: 'Say something short.' }] });
const headers = { authorization: 'Bearer sk-bench-shared-account-key', 'content-type': 'application/json' };
const stop = new AbortController();
const counts = { arrivals: 0, ok: 0, failed: 0, cancelled: 0 };
const calls: Promise<void>[] = [];
const started = Date.now();

for (let i = 0; ; i++) {
  const due = started + (i * 1000) / ratePerSec;
  if (due >= started + durationMs) break;
  const wait = due - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  counts.arrivals += 1;
  calls.push(
    governed(`${simUrl}/v1/chat/completions`, { method: 'POST', headers, body, signal: stop.signal }).then(
      async (response) => {
        await response.arrayBuffer();
        if (response.ok) counts.ok += 1;
        else counts.failed += 1;
      },
      () => void (stop.signal.aborted ? (counts.cancelled += 1) : (counts.failed += 1)),
    ),
  );
}
const remaining = started + durationMs - Date.now();
if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
stop.abort(new Error('the measured window ended'));
await Promise.allSettled(calls);
const stats = governed.stats();
await governed.close();
process.stdout.write(`${JSON.stringify({ ...counts, attempts: stats.attempts, http429: stats.http429, retries: stats.retries })}\n`);
