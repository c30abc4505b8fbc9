/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) so the simulator's jitter, fault decisions and
 * generated text repeat exactly under the same seed. Not for anything secret.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number;
  /** A 32-bit unsigned integer, for seeding a child generator. */
  uint32(): number;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const splitmix = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const uint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t >>> 0;
  };
  // Warm up so nearby seeds do not start with correlated outputs.
  for (let i = 0; i < 12; i++) uint32();
  return {
    next: () => uint32() / 4_294_967_296,
    int: (min, max) => min + Math.floor((uint32() / 4_294_967_296) * (max - min + 1)),
    uint32,
  };
}
