import { pass, skip, warn, type DoctorStepDefinition } from '../doctor-step';

const ROUND_TRIPS = 20;
const SLOW_P95_MS = 50;

/** Step 13: p50/p95 of 20 `SELECT 1` round trips on one session — the floor under every retrieval. */
export const latencyStep: DoctorStepDefinition = {
  id: 'latency',
  title: `Latency (${ROUND_TRIPS} round trips)`,
  deadlineMs: 10_000,
  async run(context, signal) {
    const session = context.session;
    if (!session) return skip('no session');
    const samples: number[] = [];
    for (let i = 0; i < ROUND_TRIPS && !signal.aborted; i++) {
      const started = performance.now();
      await session.query('SELECT 1');
      samples.push(performance.now() - started);
    }
    samples.sort((a, b) => a - b);
    const at = (q: number): number => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)] ?? 0;
    const p50 = at(0.5);
    const p95 = at(0.95);
    const detail = `p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, max ${(samples.at(-1) ?? 0).toFixed(2)} ms`;
    if (p95 > SLOW_P95_MS) {
      return warn(`${detail}: slow round trips`, 'Every query pays this at least once: run Bulkhead close to the database (same region/network), and keep connections pooled — a new connection costs several round trips more.', 'SLOW_ROUND_TRIP', [`${samples.length} samples`]);
    }
    return pass(detail, [`${samples.length} samples`]);
  },
};
