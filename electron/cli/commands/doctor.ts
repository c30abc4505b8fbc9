import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { systemClock } from '../../stack/clock/clock';
import { embeddedAccessFor } from '../../stack/doctor/embedded-access';
import { runDoctor } from '../../stack/doctor/run-doctor';
import { createLogger, silentLogger } from '../../stack/log/logger';
import { openAppStore } from '../../stack/store/app-store';
import { resolveDataDir } from '../../stack/store/data-dir';
import { createDoctorReportsRepo } from '../../stack/store/doctor-reports-repo';
import { describeError } from '../../stack/errors';
import { EXIT, UsageError, type CliCommand } from '../command';
import { formatHeader, formatStep, formatVerdict } from '../doctor-text';
import { runProviderDoctorCommand } from './doctor-provider';
import { runRedisDoctorCommand } from './doctor-redis';

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'Diagnose the RAG database connection step by step, with the fix for what fails',
  usage: `bulkhead doctor [--url URL] [--env-file F] [--json] [--verbose] [--data-dir D]
       bulkhead doctor --redis URL [--json] [--verbose]
       bulkhead doctor --provider openai|anthropic|simulator [--provider-url URL] [--model M] [--json] [--verbose]

Walks env → URL → container → DNS → TCP → TLS → auth → database → server → PgBouncer →
extensions → privileges → pool → latency. Each step has its own deadline; after a hard failure the rest are
listed as skipped. Passwords are masked everywhere.

Which database: --url, else DATABASE_URL / PG* variables from the environment, --env-file F,
.env.local and .env (that precedence); with none of them, Bulkhead's embedded PostgreSQL (the running
app's, or started for the check).

Options:
  --url URL       diagnose this postgres:// URL instead of the configured one
  --redis URL     diagnose the Redis store for shared limits instead (redis:// or rediss://):
                  URL → DNS → TCP → TLS → AUTH/ACL → PING → Lua scripting → maxmemory-policy → latency;
                  printed, not saved
  --provider P    diagnose the path to an LLM provider instead (openai, anthropic, or simulator — the
                  built-in one, started for the check): key → URL → proxy → DNS → TCP → TLS → HTTP →
                  auth → model → limits → latency; keys masked, printed, not saved
  --provider-url U  the provider's base URL (default: where its key is bound, else the official API)
  --model M       the model to look for (default BULKHEAD_OPENAI_MODEL / BULKHEAD_ANTHROPIC_MODEL)
  --env-file F    also read variables from F (the real environment still wins, as with node --env-file)
  --json          print only the report as JSON: {ok, target, steps:[{id, title, status, detail, remedy?, code?, ms}]}
  --verbose       show the evidence of passing steps too
  --data-dir D    where reports are saved and the embedded database lives (default BULKHEAD_DATA_DIR, else the app's)
  -h, --help      show this help

Exit codes: 0 every step passed (warnings allowed), 1 a step failed, 2 usage error, 130 interrupted.`,
  options: {
    url: { type: 'string' },
    redis: { type: 'string' },
    provider: { type: 'string' },
    'provider-url': { type: 'string' },
    model: { type: 'string' },
    'env-file': { type: 'string' },
    json: { type: 'boolean' },
    verbose: { type: 'boolean' },
    'data-dir': { type: 'string' },
  },
  async run(values, _positionals, io) {
    const url = values.url as string | undefined;
    const envFile = values['env-file'] as string | undefined;
    const json = values.json === true;
    if (typeof values.provider === 'string' || values['provider-url'] !== undefined || values.model !== undefined) {
      if (typeof values.provider !== 'string') throw new UsageError('--provider-url and --model go with --provider openai|anthropic; add --provider.');
      if (url !== undefined || envFile !== undefined || values.redis !== undefined) throw new UsageError('--provider diagnoses an LLM provider; --url, --env-file and --redis are other checks. Run them as separate commands.');
      const flags = { provider: values.provider, providerUrl: values['provider-url'] as string | undefined, model: values.model as string | undefined, dataDir: values['data-dir'] as string | undefined, json, verbose: values.verbose === true };
      return runProviderDoctorCommand(flags, io);
    }
    if (typeof values.redis === 'string') {
      if (url !== undefined || envFile !== undefined) throw new UsageError('--redis diagnoses the Redis store; --url and --env-file are for the database. Run them as two commands.');
      return runRedisDoctorCommand({ url: values.redis, json, verbose: values.verbose === true }, io);
    }
    if (url !== undefined && url.trim() === '') throw new UsageError('--url is empty; give a postgres:// URL, e.g. --url postgres://user:pass@localhost:5432/db.');
    if (envFile !== undefined && !existsSync(resolve(process.cwd(), envFile))) {
      throw new UsageError(`--env-file ${envFile}: no such file (looked at ${resolve(process.cwd(), envFile)}). Pass the path of an existing .env file.`);
    }
    const dataDir = resolveDataDir({ flag: values['data-dir'] as string | undefined, env: io.env });
    const style = { color: io.isTTY && !io.env.NO_COLOR, verbose: values.verbose === true };
    const log = json ? silentLogger : createLogger({ level: 'warn', write: (line) => io.stderr(`${line}\n`) });
    if (!json) io.stdout(formatHeader('', style));

    const report = await runDoctor(
      {
        env: io.env,
        cwd: process.cwd(),
        envFile,
        url,
        embedded: () => embeddedAccessFor(dataDir, log),
        clock: systemClock,
      },
      {
        signal: io.signal,
        onProgress: (event) => {
          if (!json && event.phase === 'step') io.stdout(formatStep(event.step, style));
        },
      },
    );

    let savedId: number | null = null;
    try {
      const store = openAppStore({ dataDir });
      try {
        savedId = createDoctorReportsRepo(store.db).insert(report, Date.now());
      } finally {
        store.close();
      }
    } catch (error) {
      if (!json) io.stderr(`(the report could not be saved in ${dataDir}: ${describeError(error)})\n`);
    }
    if (json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else io.stdout(formatVerdict(report, style, savedId));
    // Interrupted steps are skipped, not failed: without this a cancelled check would read as a pass.
    if (io.signal.aborted) return EXIT.interrupted;
    return report.ok ? EXIT.ok : EXIT.failed;
  },
};
