import { UsageError, type CliCommand } from '../command';
import { CHAOS_PROXY_USAGE, runChaosProxy } from './chaos-proxy';

/** `bulkhead chaos <subcommand>`: fault injection from the command line. */
export const chaosCommand: CliCommand = {
  name: 'chaos',
  summary: 'Inject faults: a Toxiproxy-style TCP fault proxy (chaos proxy)',
  usage: CHAOS_PROXY_USAGE,
  options: {
    upstream: { type: 'string' },
    listen: { type: 'string' },
    toxic: { type: 'string', multiple: true },
    name: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
  },
  allowPositionals: true,
  async run(values, positionals, io) {
    const [sub, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}.`);
    if (sub === 'proxy') return runChaosProxy(values, io);
    throw new UsageError(sub === undefined ? 'say what to run: bulkhead chaos proxy ...' : `unknown chaos subcommand ${JSON.stringify(sub)}; use proxy.`);
  },
};
