import type { ConnectionOptions } from 'node:tls';
import type { StepContext } from '../doctor-step';
import type { RespConnection } from './resp-connection';
import type { RedisTarget } from './redis-target';

export interface RedisDoctorInput {
  /** The store URL: `--redis URL`, the Doctor page's field, or BULKHEAD_REDIS_URL. */
  readonly url: string;
  /** Where the URL came from, as the url step names it (`--redis`, `BULKHEAD_REDIS_URL`, the Doctor page). */
  readonly urlLabel?: string | undefined;
  /** Extra TLS options for rediss:// (tests give their own CA). */
  readonly tls?: ConnectionOptions | undefined;
}

/** What the Redis doctor's steps learn, in order. */
export interface RedisDoctorContext extends StepContext {
  readonly input: RedisDoctorInput;
  target?: RedisTarget;
  addresses?: { address: string; family: number }[];
  /** The first address that accepted a TCP connection: every later step talks to it. */
  reachable?: string;
  /** The session the auth step opened (authenticated, database selected). */
  connection?: RespConnection;
}
