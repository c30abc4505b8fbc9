import type { ChaosRun, ChaosScenarioInfo } from '../../../shared/contract/chaos';
import { CHAOS_SCENARIO_NAMES } from '../../../shared/contract/chaos';
import { chaosVerdict } from '../../../shared/verdicts';
import { deadlineSignal } from '../../stack/clock/clock';
import { BulkheadError } from '../../stack/errors';
import { createLogger } from '../../stack/log/logger';
import { startStack } from '../../stack/stack';
import { resolveDataDir } from '../../stack/store/data-dir';
import { EXIT, UsageError, type CliIo } from '../command';
import { parseNumberOption } from '../option-parsers';
import { closestMatch } from '../suggest';

export const CHAOS_SCENARIO_USAGE = `bulkhead chaos run NAME [--start-after S] [--fault S] [--recovery-bound S] [--json] [--data-dir D]
bulkhead chaos list [--json]

Runs one chaos scenario against this machine's stack (the embedded or configured RAG database, an
in-process provider simulator when the scenario needs one) with light probe traffic of its own, and
prints its timeline and recovery verdict. Exit 0 recovered, 1 not recovered (or the scenario could not
run), 2 usage, 130 interrupted.
To break things during real load instead: bulkhead stress --profile medium --chaos NAME.

Scenarios: ${CHAOS_SCENARIO_NAMES.join(', ')} (bulkhead chaos list describes each)

Options:
  --start-after S       seconds of normal traffic before the fault (default: the scenario's)
  --fault S             how long the fault lasts (default: the scenario's)
  --recovery-bound S    how long recovery may take after the fault ends (default: the scenario's)
  --data-dir D          the data dir (default: BULKHEAD_DATA_DIR or the app's)
  --json                print the verdict (ChaosRun) as JSON`;

export async function runChaosList(values: Record<string, unknown>, io: CliIo): Promise<number> {
  const stack = await startStack({ dataDir: resolveDataDir({ flag: values['data-dir'] as string | undefined, env: io.env }), role: 'cli', database: 'none', log: quietLog(io) });
  try {
    const outcome = await stack.dispatcher.dispatch('chaos.scenarios.list', {}, { transport: 'in-process' });
    const scenarios = (outcome.ok ? outcome.result : []) as ChaosScenarioInfo[];
    if (values.json === true) {
      io.stdout(`${JSON.stringify(scenarios)}\n`);
      return EXIT.ok;
    }
    for (const s of scenarios) {
      io.stdout(`${s.name.padEnd(16)} ${s.title}\n  fault:    ${s.description}\n  recovery: ${s.recovery}\n  default:  fault after ${s.defaults.startAfterS} s for ${s.defaults.faultS} s; recovery within ${s.defaults.recoveryBoundS} s\n\n`);
    }
    return EXIT.ok;
  } finally {
    await stack.stop();
  }
}

export async function runChaosScenario(name: string | undefined, values: Record<string, unknown>, io: CliIo): Promise<number> {
  if (!name) throw new UsageError(`say which scenario: bulkhead chaos run NAME (one of ${CHAOS_SCENARIO_NAMES.join(', ')}).`);
  if (!(CHAOS_SCENARIO_NAMES as readonly string[]).includes(name)) {
    const guess = closestMatch(name, CHAOS_SCENARIO_NAMES);
    throw new UsageError(`there is no scenario ${JSON.stringify(name)}${guess ? ` — did you mean "${guess}"?` : ''} (scenarios: ${CHAOS_SCENARIO_NAMES.join(', ')})`);
  }
  const params = {
    name,
    ...optional('startAfterS', parseNumberOption('start-after', values['start-after'], { min: 0, max: 3600 })),
    ...optional('faultS', parseNumberOption('fault', values.fault, { min: 0, max: 3600 })),
    ...optional('recoveryBoundS', parseNumberOption('recovery-bound', values['recovery-bound'], { min: 1, max: 3600 })),
  };
  const json = values.json === true;
  const dataDir = resolveDataDir({ flag: values['data-dir'] as string | undefined, env: io.env });
  if (!json) io.stderr(`starting the stack (data dir ${dataDir})…\n`);
  const stack = await startStack({ dataDir, role: 'cli', log: quietLog(io), ...(name === 'provider-outage' || name === 'memory-pressure' ? { database: 'none' as const } : {}) });
  try {
    if (name !== 'provider-outage' && name !== 'memory-pressure') {
      // A held deadline: the wait keeps the process alive (AbortSignal.timeout's timer is unref'd).
      const deadline = deadlineSignal(stack.core.clock, 120_000);
      try {
        await stack.core.database.whenReady(AbortSignal.any([io.signal, deadline.signal]));
      } finally {
        deadline.clear();
      }
    }
    let id = '';
    const done = new Promise<ChaosRun>((resolve) => {
      stack.hub.subscribe('chaos.run', (run) => {
        if (run.id !== id) return;
        if (!json) {
          const last = run.timeline.at(-1);
          if (last && run.status === 'running') io.stderr(`${(last.atMs / 1000).toFixed(1).padStart(6)} s  ${last.kind.padEnd(13)} ${last.detail}\n`);
        }
        if (run.status !== 'running') resolve(run);
      });
    });
    const started = await stack.dispatcher.dispatch('chaos.scenarios.run', params, { transport: 'in-process' });
    if (!started.ok) throw new BulkheadError(started.error.code, started.error.message, { remedy: started.error.remedy });
    id = (started.result as { id: string }).id;
    const verdict = await Promise.race([done, abortion(io.signal)]);
    if (!verdict) {
      if (!json) io.stderr('interrupted: the scenario was stopped before its verdict\n');
      return EXIT.interrupted;
    }
    io.stdout(json ? `${JSON.stringify(verdict)}\n` : formatVerdict(verdict));
    return verdict.status === 'passed' ? EXIT.ok : EXIT.failed;
  } finally {
    await stack.stop();
  }
}

export function formatVerdict(run: ChaosRun): string {
  const lines = [`bulkhead chaos: ${run.scenario} — ${chaosVerdict(run.status)}`, `  ${run.summary}`];
  for (const check of run.checks) lines.push(`  ${check.ok ? '✓' : '✗'} ${check.title.padEnd(34)} ${check.detail}`);
  return `${lines.join('\n')}\n`;
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

function quietLog(io: CliIo) {
  return createLogger({ level: 'error', scope: 'chaos', write: (line) => io.stderr(`${line}\n`) });
}

function abortion(signal: AbortSignal): Promise<null> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(null);
    signal.addEventListener('abort', () => resolve(null), { once: true });
  });
}
