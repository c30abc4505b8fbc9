import type { LimitPoint } from '../../../../shared/contract/concurrency';

/** The last `capacity` changes of a limit, oldest first: enough to chart minutes of adaptation. */
export class LimitHistory {
  private readonly points: LimitPoint[] = [];

  constructor(private readonly capacity: number) {}

  record(t: number, limit: number): void {
    const last = this.points[this.points.length - 1];
    if (last !== undefined && last.limit === limit) return;
    if (last !== undefined && last.t === t) {
      last.limit = limit; // several changes in one instant: the chart only needs where it ended
      return;
    }
    this.points.push({ t, limit });
    if (this.points.length > this.capacity) this.points.splice(0, this.points.length - this.capacity);
  }

  list(): LimitPoint[] {
    return this.points.map((point) => ({ ...point }));
  }
}
