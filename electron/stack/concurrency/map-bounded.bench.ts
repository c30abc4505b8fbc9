import pLimit from 'p-limit';
import type { BenchCase } from '../bench/harness';
import { mapBounded } from './map-bounded';

/** mapBounded against p-limit's `limit.map`: bounded fan-out over a list of async calls, results in order. */
const yieldingDouble = async (value: number): Promise<number> => {
  await Promise.resolve();
  return value * 2;
};

export function mapBoundedCases(scale = 1): BenchCase[] {
  const items = Array.from({ length: Math.round(20_000 * scale) }, (_, index) => index);
  return [
    {
      name: `mapBounded: ${items.length.toLocaleString('en')} items, limit 16`,
      ours: {
        label: 'mapBounded',
        setup: () => async () => (await mapBounded(items, 16, yieldingDouble)).length,
      },
      peers: [
        {
          label: 'p-limit limit.map',
          setup: () => {
            const limit = pLimit(16);
            return async () => (await limit.map(items, yieldingDouble)).length;
          },
        },
      ],
    },
  ];
}
