import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_VARIABLES, NEAR_MISS_VARIABLES, resolveDatabaseConfig } from '../../db/config/database-config';
import { readEnvLayers, resolveVariables } from '../../db/config/env-layers';
import { maskVariable } from '../../db/config/mask';
import { isBulkheadError } from '../../errors';
import { fail, pass, warn, type DoctorStepDefinition } from '../doctor-step';

/** Step 1: where the configuration comes from, masked, with shadowed and near-miss variables called out. */
export const envStep: DoctorStepDefinition = {
  id: 'env',
  title: 'Environment and .env files',
  deadlineMs: 2000,
  async run(context) {
    const { input } = context;
    let layers;
    try {
      layers =
        input.urlOnly && input.url !== undefined
          ? [{ label: input.urlLabel ?? '--url', vars: { DATABASE_URL: input.url } }]
          : readEnvLayers({ env: input.env, cwd: input.cwd, envFile: input.envFile, flagUrl: input.url, flagLabel: input.urlLabel });
    } catch (error) {
      if (isBulkheadError(error)) return fail(error.message, error.remedy ?? 'Check the --env-file path.', error.code);
      throw error;
    }
    context.layers = layers;
    context.config = resolveDatabaseConfig(layers);
    const evidence: string[] = [];
    const files = ['.env.local', '.env'].map((name) => `${name}: ${existsSync(join(input.cwd, name)) ? 'found' : 'not present'}`);
    if (input.urlOnly && input.url !== undefined) {
      evidence.push(`only the URL from ${input.urlLabel ?? '--url'} is used: the environment, .env files and ~/.pgpass add nothing to it (a typed URL never receives the configured database's password)`);
    } else {
      evidence.push(`precedence: ${layers.map((layer) => layer.label).join(' > ')}   (${files.join(', ')} in ${input.cwd})`);
    }
    const vars = resolveVariables(layers, [...DATABASE_VARIABLES]);
    const problems: string[] = [];
    for (const v of vars.values()) {
      const differing = v.shadows.filter((label) => layers.find((layer) => layer.label === label)?.vars[v.name] !== v.value);
      evidence.push(`${v.name} = ${maskVariable(v.name, v.value)}   (from ${v.source}${v.shadows.length > 0 ? `; also set in ${v.shadows.join(', ')}` : ''})`);
      if (differing.length > 0) problems.push(`the ${v.source === 'environment' ? 'environment\'s' : `${v.source}`} ${v.name} hides a different one in ${differing.join(', ')}`);
    }
    const nearMisses = resolveVariables(layers, [...NEAR_MISS_VARIABLES]);
    for (const v of nearMisses.values()) evidence.push(`${v.name} is set (from ${v.source}) but Bulkhead does not read it`);

    const summary =
      context.config.mode === 'embedded'
        ? `no database configured (${context.config.reason}): Bulkhead uses its embedded PostgreSQL`
        : vars.has('DATABASE_URL')
          ? `DATABASE_URL from ${vars.get('DATABASE_URL')?.source}${vars.size > 1 ? `, with ${[...vars.keys()].filter((n) => n !== 'DATABASE_URL').join(', ')}` : ''}`
          : `PG* variables: ${[...vars.keys()].join(', ')}`;

    if (problems.length > 0) {
      return warn(`${summary} — ${problems.join('; ')}`, 'The higher-precedence value wins (precedence above). Remove the stale one, or unset the variable in your shell (`unset NAME`) if the file is meant to win.', 'ENV_SHADOWED', evidence);
    }
    const urlMiss = [...nearMisses.values()].find((v) => v.name.endsWith('_URL') || v.name.endsWith('_URI'));
    if (context.config.mode === 'embedded' && urlMiss) {
      return warn(`${summary}, although ${urlMiss.name} is set`, `Bulkhead reads DATABASE_URL (and libpq's PG* variables). Set DATABASE_URL=\${${urlMiss.name}} if that is the database you mean.`, 'ENV_NEAR_MISS', evidence);
    }
    return pass(summary, evidence);
  },
};
