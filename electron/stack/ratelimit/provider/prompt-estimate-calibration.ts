/**
 * Bulkhead estimates prompt tokens before a call as characters / 4; the provider counts with its own
 * tokenizer and per-message overhead, and charges its count up front. An estimate that runs low by even
 * 2 % makes every call take a little more from the provider's bucket than from ours, and a limiter that
 * keeps its bucket level with the provider's `remaining` then sends calls into a bucket a few tokens
 * short: 429s. So the limiter learns the ratio of counted to estimated prompt tokens from each response's
 * usage and scales its estimates by it — quickly upwards (the latest ratio if higher), slowly downwards
 * (a moving average), within [0.5, 4].
 */
export class PromptEstimateCalibration {
  private factor = 1;
  private observed = false;

  /** A response's usage: `counted` prompt tokens (cached ones included) for an `estimated` prompt. */
  observe(estimated: number, counted: number): void {
    if (!(estimated > 0) || !(counted > 0)) return;
    const ratio = Math.min(4, Math.max(0.5, counted / estimated));
    if (!this.observed || ratio > this.factor) this.factor = ratio;
    else this.factor = 0.8 * this.factor + 0.2 * ratio;
    this.observed = true;
  }

  /** The estimate as the provider will probably count it. */
  scale(estimated: number): number {
    return estimated > 0 ? Math.ceil(estimated * this.factor) : estimated;
  }

  get ratio(): number {
    return this.factor;
  }
}
