import { describeToxic } from '../../../../shared/toxic-text';
import { describeError, isBulkheadError } from '../../errors';
import type { FaultProxy } from './fault-proxy';
import { parseToxicSpec } from './toxic-spec';

export const PROXY_CONSOLE_HELP = `Commands while the proxy runs (type and press Enter):
  add SPEC       add a toxic, e.g. add latency=300,jitter=50   (same SPEC as --toxic)
  remove NAME    remove a toxic by name (see status)
  down           refuse new connections and cut the open ones
  up             accept again on the same port
  reset          remove every toxic and bring the proxy up
  status         connections, bytes and toxics
  help           this list`;

/** Runs one line typed at a running `bulkhead chaos proxy`; returns what to print. Never throws. */
export async function runProxyConsoleLine(proxy: FaultProxy, line: string): Promise<string> {
  const [command = '', ...args] = line.trim().split(/\s+/);
  const argument = args.join(' ');
  try {
    switch (command.toLowerCase()) {
      case '':
        return '';
      case 'add': {
        if (!argument) return 'add needs a toxic, e.g. add latency=300';
        const toxic = proxy.addToxic(parseToxicSpec(argument));
        return `added ${toxic.name}: ${describeToxic(toxic)}`;
      }
      case 'remove':
      case 'rm': {
        if (!argument) return `remove needs a name; toxics: ${proxy.toxics().map((t) => t.name).join(', ') || 'none'}`;
        proxy.removeToxic(argument);
        return `removed ${argument}`;
      }
      case 'down':
        await proxy.setEnabled(false);
        return `proxy down: ${proxy.address} refuses connections; open ones were cut`;
      case 'up':
        await proxy.setEnabled(true);
        return `proxy up on ${proxy.address}`;
      case 'reset':
        await proxy.reset();
        return 'all toxics removed; proxy up';
      case 'status':
        return formatProxyStatus(proxy);
      case 'help':
      case '?':
        return PROXY_CONSOLE_HELP;
      default:
        return `unknown command ${JSON.stringify(command)}\n${PROXY_CONSOLE_HELP}`;
    }
  } catch (error) {
    return isBulkheadError(error) ? `${error.message}${error.remedy ? `\n  fix: ${error.remedy}` : ''}` : `failed: ${describeError(error)}`;
  }
}

export function formatProxyStatus(proxy: FaultProxy): string {
  const s = proxy.snapshot();
  const lines = [
    `${s.name}: ${s.listen} → ${s.upstream}  ${s.enabled ? 'up' : 'DOWN'}`,
    `  connections: ${s.connections.open} open, ${s.connections.accepted} accepted, ${s.connections.upstreamFailures} upstream failures, ${s.connections.cutByToxics} cut by toxics, ${s.connections.cutByDown} cut by down`,
    `  bytes: client → server ${s.bytes.upstream.forwarded} (dropped ${s.bytes.upstream.dropped}), server → client ${s.bytes.downstream.forwarded} (dropped ${s.bytes.downstream.dropped})`,
    s.toxics.length === 0 ? '  toxics: none' : `  toxics:\n${s.toxics.map((t) => `    ${t.name}: ${describeToxic(t)}`).join('\n')}`,
  ];
  if (s.lastError) lines.push(`  last error: ${s.lastError}`);
  return lines.join('\n');
}
