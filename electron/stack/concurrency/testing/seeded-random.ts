/** mulberry32: a tiny deterministic PRNG, so a failing random schedule can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Lets promise callbacks (then/await continuations) run. */
export async function flushMicrotasks(turns = 4): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}
