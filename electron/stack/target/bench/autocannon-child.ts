/**
 * The benchmark's peer: autocannon against the same server at the same overall rate and connection
 * count, in its own process, after the same warm-up. Prints one JSON line with what it sent and the CPU that cost.
 *   node --import tsx autocannon-child.ts URL RATE SECONDS CONNECTIONS
 */
import { once } from 'node:events';
import autocannon from 'autocannon';

const [url = '', rateText = '5000', secondsText = '30', connectionsText = '64'] = process.argv.slice(2);
const options = { url, connections: Number(connectionsText) };
// Warm-up (not measured), as our generator's: 3 s at a fifth of the rate.
await autocannon({ ...options, overallRate: Math.max(1, Number(rateText) / 5), duration: 3 });
// Says the warm-up is over and waits for the go (the bench reads the server's count in between).
process.stdout.write(`${JSON.stringify({ warm: true })}\n`);
await once(process.stdin, 'data');
process.stdin.pause();
const cpuBefore = process.cpuUsage();
const result = await autocannon({ ...options, overallRate: Number(rateText), duration: Number(secondsText) });
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(
  `${JSON.stringify({
    sent: result.requests.sent,
    completed: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
    achieved: Math.round((result.requests.total / Number(secondsText)) * 100) / 100,
    latency_ms: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    cpu_ms: (cpu.user + cpu.system) / 1000,
  })}\n`,
);
