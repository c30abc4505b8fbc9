/** Worker-pool tasks of the demo load: real CPU work (hashing) so the demo pool's numbers are honest. */
import { createHash } from 'node:crypto';

export const tasks = {
  /** Hashes `bytes` of data `rounds` times; a few milliseconds of CPU per call. */
  digest: ({ rounds, bytes }: { rounds: number; bytes: number }): string => {
    let data = Buffer.alloc(bytes, 7);
    for (let i = 0; i < rounds; i++) data = createHash('sha256').update(data).digest();
    return data.toString('hex').slice(0, 16);
  },
};
