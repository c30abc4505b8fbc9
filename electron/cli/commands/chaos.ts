import { UsageError, type CliCommand } from '../command';
import { closestMatch } from '../suggest';
import { CHAOS_PROXY_USAGE, runChaosProxy } from './chaos-proxy';
import { CHAOS_SCENARIO_USAGE, runChaosList, runChaosScenario } from './chaos-scenario';

/** `bulkhead chaos <subcommand>`: fault injection from the command line. */
export const chaosCommand: CliCommand = {
  name: 'chaos',
  summary: 'Inject faults: run a chaos scenario with a recovery verdict, or a Toxiproxy-style TCP fault proxy',
  usage: `${CHAOS_SCENARIO_USAGE}

${CHAOS_PROXY_USAGE}`,
  options: {
    upstream: { type: 'string' },
    listen: { type: 'string' },
    toxic: { type: 'string', multiple: true },
    name: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
    'start-after': { type: 'string' },
    fault: { type: 'string' },
    'recovery-bound': { type: 'string' },
    'data-dir': { type: 'string' },
  },
  allowPositionals: true,
  async run(values, positionals, io) {
    const [sub, ...rest] = positionals;
    if (sub === 'proxy' || sub === 'list') {
      if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}.`);
      return sub === 'proxy' ? runChaosProxy(values, io) : runChaosList(values, io);
    }
    if (sub === 'run') {
      if (rest.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(rest[1])}.`);
      return runChaosScenario(rest[0], values, io);
    }
    if (sub === undefined) throw new UsageError('say what to do: bulkhead chaos run NAME, chaos list, or chaos proxy …');
    const guess = closestMatch(sub, ['run', 'list', 'proxy']);
    throw new UsageError(`unknown chaos subcommand ${JSON.stringify(sub)}${guess ? ` — did you mean "${guess}"?` : ''} (subcommands: run, list, proxy)`);
  },
};
