/**
 * A process that races for data-dir locks on command (the lock race test starts six of them).
 * Reads one JSON message per stdin line and answers one per stdout line:
 *   {type:'race', round, dir, at}  waits until epoch ms `at` (every racer gets the same one), calls
 *                                  acquireDataDirLock(dir) and answers {round, result:'held'|CODE}
 *   {type:'release', round, dir}   releases the lock it holds on dir, answers {round, result:'released'}
 * Holders keep their lock until told to release it, so losers always see a live owner.
 */
import { createInterface } from 'node:readline';
import { acquireDataDirLock, type DataDirLock } from '../data-dir-lock';

type Message = { type: 'race'; round: number; dir: string; at: number } | { type: 'release'; round: number; dir: string };

const held = new Map<string, DataDirLock>();
const pause = new Int32Array(new SharedArrayBuffer(4));

function waitUntil(at: number): void {
  // Sleep most of the way, then spin: the racers leave the barrier within the same millisecond.
  const sleepMs = at - Date.now() - 3;
  if (sleepMs > 0) Atomics.wait(pause, 0, 0, sleepMs);
  while (Date.now() < at) {
    // spin
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const message = JSON.parse(line) as Message;
  let result: string;
  if (message.type === 'race') {
    waitUntil(message.at);
    try {
      held.set(message.dir, acquireDataDirLock(message.dir, 'racer'));
      result = 'held';
    } catch (error) {
      result = (error as { code?: string }).code ?? String(error);
    }
  } else {
    held.get(message.dir)?.release();
    held.delete(message.dir);
    result = 'released';
  }
  process.stdout.write(`${JSON.stringify({ round: message.round, result })}\n`);
});
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
