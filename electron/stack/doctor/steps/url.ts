import { describeTarget } from '../../db/config/database-config';
import { classifyHost, isLocalHostKind, looksLikePlaceholderHost } from '../../db/config/host-kind';
import { maskUrl } from '../../db/config/mask';
import { decideTls } from '../../db/tls/tls-policy';
import { isBulkheadError } from '../../errors';
import { fail, pass, warn, type DoctorStepDefinition } from '../doctor-step';

const PARAM_NOTES: Record<string, string> = {
  schema: "Prisma's `schema` parameter: node-postgres ignores it (set search_path in the database instead)",
  connection_limit: "Prisma's `connection_limit`: Bulkhead's pool bound is BULKHEAD_POOL_MAX",
  pool_timeout: "Prisma's `pool_timeout`: Bulkhead uses BULKHEAD_POOL_CONNECT_TIMEOUT_MS",
  pgbouncer: "Prisma's `pgbouncer=true`: not read by node-postgres",
};

/** Step 2: the URL (or PG* variables) parsed into a target, every field with its source; TLS policy decided. */
export const urlStep: DoctorStepDefinition = {
  id: 'url',
  title: 'Connection URL',
  deadlineMs: 30_000,
  timeoutRemedy: () => 'Starting the embedded PostgreSQL took too long; see server.log in the data dir, or set DATABASE_URL.',
  async run(context) {
    const config = context.config;
    if (!config) return fail('no configuration was read', 'Fix the env step first.', 'NO_CONFIG');
    if (config.mode === 'invalid') {
      const raw = context.layers?.map((layer) => layer.vars.DATABASE_URL).find((value) => value !== undefined);
      context.target = raw ? maskUrl(raw) : '(invalid)';
      return fail(config.problem.message, config.problem.remedy, config.problem.code);
    }
    if (config.mode === 'embedded') {
      let access;
      try {
        access = (await context.input.embedded?.()) ?? null;
      } catch (error) {
        context.target = '(embedded PostgreSQL)';
        if (isBulkheadError(error)) return fail(`the embedded PostgreSQL could not be started: ${error.message}`, error.remedy ?? 'Set DATABASE_URL to use your own PostgreSQL.', error.code);
        throw error;
      }
      context.embedded = access;
      if (!access) {
        context.target = '(embedded PostgreSQL, not running)';
        return fail(
          'nothing is configured and the embedded PostgreSQL cannot be reached',
          'Start Bulkhead (`npm start` or `bulkhead serve`) so its embedded database runs, or point Bulkhead at your PostgreSQL with DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/DATABASE.',
          'NO_DATABASE',
        );
      }
      if (access.release) context.cleanups.push(access.release);
      context.settings = access.settings;
      context.target = describeTarget(access.settings);
      context.tls = decideTls(access.settings);
      return pass(`${access.description}: ${context.target}`, [`TLS: ${context.tls.reason}`]);
    }
    const settings = config.settings;
    context.settings = settings;
    context.target = describeTarget(settings);
    const tls = decideTls(settings);
    context.tls = tls;
    const evidence = [
      ...(['host', 'port', 'user', 'database', 'sslmode', 'sslrootcert'] as const).map((field) => {
        const value = field === 'port' ? String(settings.port) : field === 'sslmode' ? settings.sslmode : settings[field];
        return value === undefined ? `${field}: (not set)` : `${field}: ${value}   (${settings.fieldSources[field] ?? 'default'})`;
      }),
      // Worded without "password:" so the secret masker leaves the words alone.
      settings.password === undefined ? 'no password given' : `a password is given (${settings.fieldSources.password})`,
      `TLS: ${tls.reason}`,
    ];
    const warnings: { text: string; remedy: string; code: string }[] = [];
    if (looksLikePlaceholderHost(settings.host)) {
      warnings.push({ text: `the host "${settings.host}" looks like a placeholder copied from documentation`, remedy: 'Replace it with the real host name or IP of your PostgreSQL (localhost for a local one).', code: 'URL_PLACEHOLDER' });
    }
    for (const param of settings.ignoredParams) {
      warnings.push({ text: PARAM_NOTES[param] ?? `URL parameter "${param}" is not understood by node-postgres and is ignored`, remedy: `Remove ?${param}= from the URL (it has no effect here).`, code: 'URL_IGNORED_PARAM' });
    }
    if (settings.fieldSources.database === 'default') {
      warnings.push({ text: `no database named: PostgreSQL will use one named like the user ("${settings.database}")`, remedy: `Name the database at the end of the URL: ...:${settings.port}/DATABASE.`, code: 'URL_NO_DATABASE' });
    }
    if (tls.warning) warnings.push({ text: tls.warning, remedy: 'Give the CA (sslrootcert=/path/ca.pem) and use sslmode=verify-full.', code: 'TLS_UNVERIFIED' });
    if (tls.explicit && tls.use === 'always' && isLocalHostKind(classifyHost(settings.host))) {
      warnings.push({ text: `sslmode=${tls.mode} with the local host ${settings.host}: local and container PostgreSQL usually has no TLS`, remedy: 'If the TLS step fails with "does not support SSL", remove sslmode (or use sslmode=disable) for local and container hosts.', code: 'TLS_REQUIRED_LOCAL' });
    }
    const first = warnings[0];
    if (first) return warn(`${context.target}: ${warnings.map((w) => w.text).join('; ')}`, first.remedy, first.code, evidence);
    return pass(context.target, evidence);
  },
};
