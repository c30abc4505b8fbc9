/**
 * A stand-in for someone's agent: it uses the library and knows nothing of the panel. Started with
 * BULKHEAD_ATTACH set (tests, e2e), it must appear on the panel anyway. Runs a bounded fan-out on a
 * semaphore until stdin closes or it gets SIGTERM, printing "ready" once its primitives exist.
 */
import { Semaphore, TokenBucket } from '../../library/index';

const semaphore = new Semaphore({ name: process.env.AGENT_SEMAPHORE ?? 'agent-fan-out', permits: 4 });
const bucket = new TokenBucket({ name: 'agent-requests', capacity: 10, refillPerSec: 5 });
let running = true;
const stop = (): void => {
  running = false;
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();

async function work(): Promise<void> {
  while (running) {
    await semaphore.withPermit(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    bucket.tryTake(1);
  }
}
process.stdout.write('ready\n');
await Promise.all([work(), work(), work(), work(), work(), work()]);
process.exit(0);
