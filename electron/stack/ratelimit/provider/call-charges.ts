import type { ProviderError } from '../../providers/provider-error';
import type { ProviderName, Usage } from '../../providers/provider-types';
import { requestTooLarge } from './provider-adaptation';
import { actualOf, costOf, type BucketName, type CallDemand, type OutputAccounting, type ProviderBucket } from './provider-buckets';
import type { Charge } from './reservation';

/**
 * What a call costs in each bucket known now, or the local "Request too large" when it exceeds a whole
 * nominal limit (a call above a short effective burst goes on a full bucket: effective-burst.ts holdBack).
 * The limiter computes this again at admission: buckets learned while a call waited must count, or calls
 * queued before the first headers would go out uncharged.
 */
export function chargesFor(
  provider: ProviderName,
  limiter: string,
  buckets: Iterable<ProviderBucket>,
  demand: CallDemand,
  outputAccounting: OutputAccounting,
): Charge[] | ProviderError {
  const charges: Charge[] = [];
  for (const bucket of buckets) {
    const cost = costOf(provider, bucket.name, demand, outputAccounting);
    if (cost > bucket.limitPerMinute) return requestTooLarge(provider, limiter, bucket, cost);
    charges.push({ bucket, cost });
  }
  return charges;
}

/**
 * What a finished call surely took from each bucket — the smaller of its up-front charge and its counted
 * usage — so that `remaining` + this is a lower bound of what the provider's bucket held (effective-burst.ts).
 */
export function certainCost(provider: ProviderName, charges: readonly Charge[], usage: Usage | null): (name: BucketName) => number {
  return (name) => {
    const charge = charges.find((c) => c.bucket.name === name);
    return charge && usage ? Math.min(charge.cost, actualOf(provider, charge.bucket.name, usage)) : 0;
  };
}
