import type { Clock } from '../stack/clock/clock';
import type { Logger } from '../stack/log/logger';

/** The same refusal is logged at most once per this window; repeats are counted into the next line. */
const WINDOW_MS = 10_000;
const MAX_KINDS = 100;

/**
 * Logs what the host refuses (a foreign origin, a used launch code, a wrong credential): facts someone
 * will need when debugging. Messages never contain a secret — callers pass what was wrong, not the
 * value. A client hammering the host produces one line per kind of refusal per window, not a flood.
 */
export class RefusalLog {
  private readonly lastLogged = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {}

  note(kind: string, message: string): void {
    const now = this.clock.now();
    const last = this.lastLogged.get(kind);
    if (last && now - last.at < WINDOW_MS) {
      last.suppressed += 1;
      return;
    }
    const repeats = last && last.suppressed > 0 ? ` (and ${last.suppressed} more like it in the last ${Math.round((now - last.at) / 1000)} s)` : '';
    this.log.warn(`refused: ${message}${repeats}`);
    this.lastLogged.delete(kind);
    this.lastLogged.set(kind, { at: now, suppressed: 0 });
    while (this.lastLogged.size > MAX_KINDS) this.lastLogged.delete(this.lastLogged.keys().next().value as string);
  }
}
