import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { SemaphoreSnapshot } from '../../../../shared/contract';
import { AdaptiveLimitsCard } from './AdaptiveLimitsCard';

const percentiles = { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };
function semaphore(name: string, adaptive?: SemaphoreSnapshot['adaptive']): SemaphoreSnapshot {
  return {
    name, permits: adaptive?.limit ?? 6, inUse: 2, available: 4, waiting: 0, waitingWeight: 0, maxWaitingSeen: 0, maxWaiting: null, acquired: 10,
    acquiredPerSec: 1, timeouts: 0, aborts: 0, rejected: 0, waitMs: percentiles, holdMs: percentiles, longHoldThresholdMs: 5000, longHolders: [], longHolderCount: 0,
    ...(adaptive ? { adaptive } : {}),
  };
}

describe('AdaptiveLimitsCard', () => {
  it('charts each adaptive semaphore’s limit history as steps carried on to now, with what the algorithm sees', () => {
    const adaptive = semaphore('provider.adaptive', {
      algorithm: 'gradient', limit: 9, estimate: 9.4, min: 1, max: 48, samples: 120, drops: 3, shortRttMs: 310, longRttMs: 200,
      history: [{ t: 1000, limit: 4 }, { t: 2000, limit: 16 }, { t: 5000, limit: 9 }],
    });
    render(<AdaptiveLimitsCard semaphores={[semaphore('agents'), adaptive]} now={11_000} />);
    expect(screen.getByTestId('adaptive-limit-provider.adaptive').textContent).toBe('9');
    expect(screen.queryByTestId('adaptive-agents')).toBeNull();
    const path = screen.getByTestId('adaptive-provider.adaptive').querySelector('path')!.getAttribute('d')!;
    // Start, two changes and the carry-on to now: one M and three H/V pairs.
    expect(path.match(/H/g)).toHaveLength(3);
    expect(screen.getByTestId('adaptive-provider.adaptive').textContent).toContain('3 drops of 120 calls');
    expect(screen.getByText('−10 s')).toBeTruthy();
  });

  it('renders nothing when no semaphore is adaptive', () => {
    const { container } = render(<AdaptiveLimitsCard semaphores={[semaphore('agents')]} now={0} />);
    expect(container.innerHTML).toBe('');
  });
});
