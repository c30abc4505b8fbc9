/**
 * `npm run example:node-agent`: runs resources/examples/node-agent as a user would, in one command —
 * packs the library, installs it with the official OpenAI SDK and pg into a fresh temp project, starts
 * the provider simulator (and an embedded PostgreSQL unless DATABASE_URL is set), runs the agent, and
 * cleans everything up. Nothing leaves this machine: the SDK talks to the simulator on 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../log/logger';
import { startEmbeddedServer } from '../../db/embedded/embedded-server';
import { startSimulator } from '../../providers/simulator/simulator';
import { makeTempDir } from '../../testing/temp-dir';
import { buildAndPackLibrary, installIntoFreshProject, REPO_ROOT } from '../testing/packed-library';

const say = (line: string): void => void process.stderr.write(`example: ${line}\n`);
const project = makeTempDir('bulkhead-node-agent-');
const sim = await startSimulator({ seed: 5 });
let stopDatabase: (() => Promise<void>) | null = null;
try {
  say('packing bulkhead-governance');
  const packed = await buildAndPackLibrary();
  say(`installing it with openai and pg into ${project.path}`);
  await installIntoFreshProject(project.path, packed.tarball, ['openai@^6', 'pg@^8']);
  copyFileSync(join(REPO_ROOT, 'resources/examples/node-agent/agent.mjs'), join(project.path, 'agent.mjs'));
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    say('starting an embedded PostgreSQL (set DATABASE_URL to use yours)');
    const server = await startEmbeddedServer({ baseDir: join(project.path, 'postgres'), log: silentLogger, fastInit: true, adoptOrphan: false, stopOnProcessExit: true, database: 'agent' });
    databaseUrl = server.url('agent');
    stopDatabase = () => server.stop();
  }
  say(`running the agent against the simulator at ${sim.openaiBaseUrl}`);
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['agent.mjs'], {
      cwd: project.path,
      stdio: 'inherit',
      // The simulator needs no real key; this one is bound to the simulator's base URL by being set with it.
      env: { ...process.env, OPENAI_BASE_URL: sim.openaiBaseUrl, OPENAI_API_KEY: 'sk-simulator-example', DATABASE_URL: databaseUrl },
    });
    child.once('exit', (exitCode) => resolve(exitCode ?? 1));
  });
  process.exitCode = code;
} finally {
  await sim.stop();
  await stopDatabase?.();
  project.remove();
}
