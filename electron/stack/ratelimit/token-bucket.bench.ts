import Bottleneck from 'bottleneck';
import { RateLimiter, TokenBucket as LimiterTokenBucket } from 'limiter';
import type { BenchCase } from '../bench/harness';
import { TokenBucket } from './token-bucket';

/**
 * TokenBucket against `limiter` (the most used token bucket on npm) and `bottleneck` (reservoir
 * scheduling). Admissions per second with a bucket large enough that nothing has to wait: this measures
 * the cost of the limiter itself, which every governed request pays.
 */
const HUGE = 1e12;

export function tokenBucketCases(scale = 1): BenchCase[] {
  const syncOps = Math.round(2_000_000 * scale);
  const asyncOps = Math.round(100_000 * scale);
  // bottleneck schedules every job through a timer (~5 ms each here), so it gets fewer operations per round.
  const bottleneckOps = Math.max(25, Math.round(100 * scale));
  const oursVsBottleneckOps = Math.round(20_000 * scale);
  const burst = Math.max(100, Math.round(2_000 * scale));

  return [
    {
      name: 'token bucket: tryTake, non-blocking admissions',
      ours: {
        label: 'TokenBucket.tryTake',
        setup: () => {
          const bucket = new TokenBucket({ name: 'bench', capacity: HUGE, refillPerSec: HUGE });
          return () => {
            let admitted = 0;
            for (let i = 0; i < syncOps; i++) if (bucket.tryTake(1)) admitted++;
            return admitted;
          };
        },
      },
      peers: [
        {
          label: 'limiter TokenBucket.tryRemoveTokens',
          setup: () => {
            const bucket = new LimiterTokenBucket({ bucketSize: HUGE, tokensPerInterval: HUGE, interval: 'second' });
            bucket.content = HUGE;
            return () => {
              let admitted = 0;
              for (let i = 0; i < syncOps; i++) if (bucket.tryRemoveTokens(1)) admitted++;
              return admitted;
            };
          },
        },
      ],
    },
    {
      name: 'token bucket: awaited admissions (wait / removeTokens / schedule)',
      ours: {
        label: 'TokenBucket.wait',
        setup: () => {
          const bucket = new TokenBucket({ name: 'bench', capacity: HUGE, refillPerSec: HUGE });
          return async () => {
            for (let i = 0; i < asyncOps; i++) await bucket.wait(1);
            return asyncOps;
          };
        },
      },
      peers: [
        {
          label: 'limiter RateLimiter.removeTokens',
          setup: () => {
            const limiter = new RateLimiter({ tokensPerInterval: HUGE, interval: 'second' });
            return async () => {
              for (let i = 0; i < asyncOps; i++) await limiter.removeTokens(1);
              return asyncOps;
            };
          },
        },
        {
          label: 'limiter TokenBucket.removeTokens',
          setup: () => {
            const bucket = new LimiterTokenBucket({ bucketSize: HUGE, tokensPerInterval: HUGE, interval: 'second' });
            bucket.content = HUGE;
            return async () => {
              for (let i = 0; i < asyncOps; i++) await bucket.removeTokens(1);
              return asyncOps;
            };
          },
        },
      ],
    },
    {
      // One at a time: what a single caller pays per admission (bottleneck goes through a timer each time).
      name: 'token bucket: awaited admissions one at a time vs bottleneck reservoir',
      ours: {
        label: 'TokenBucket.wait',
        setup: () => {
          const bucket = new TokenBucket({ name: 'bench', capacity: HUGE, refillPerSec: HUGE });
          return async () => {
            for (let i = 0; i < oursVsBottleneckOps; i++) await bucket.wait(1);
            return oursVsBottleneckOps;
          };
        },
      },
      peers: [
        {
          label: 'bottleneck schedule (reservoir)',
          setup: () => {
            const limiter = new Bottleneck({ reservoir: HUGE, maxConcurrent: null });
            const admit = (): Promise<void> => Promise.resolve();
            return async () => {
              for (let i = 0; i < bottleneckOps; i++) await limiter.schedule(admit);
              await limiter.disconnect();
              return bottleneckOps;
            };
          },
        },
      ],
    },
    {
      // Many callers at once: throughput when bottleneck can batch its scheduling.
      name: `token bucket: ${burst.toLocaleString('en')} admissions awaited at once vs bottleneck reservoir`,
      ours: {
        label: 'TokenBucket.wait',
        setup: () => {
          const bucket = new TokenBucket({ name: 'bench', capacity: HUGE, refillPerSec: HUGE });
          return async () => {
            await Promise.all(Array.from({ length: burst }, () => bucket.wait(1)));
            return burst;
          };
        },
      },
      peers: [
        {
          label: 'bottleneck schedule (reservoir)',
          setup: () => {
            const limiter = new Bottleneck({ reservoir: HUGE, maxConcurrent: null });
            const admit = (): Promise<void> => Promise.resolve();
            return async () => {
              await Promise.all(Array.from({ length: burst }, () => limiter.schedule(admit)));
              await limiter.disconnect();
              return burst;
            };
          },
        },
      ],
    },
  ];
}
