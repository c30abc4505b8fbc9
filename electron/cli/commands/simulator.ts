import { isBulkheadError } from '../../stack/errors';
import { FAULT_SPEC_HELP, parseFaultSpec } from '../../stack/providers/simulator/fault-spec';
import type { FaultSetting } from '../../stack/providers/simulator/faults';
import type { SettingsPatch } from '../../stack/providers/simulator/sim-config';
import { DEFAULT_SETTINGS } from '../../stack/providers/simulator/sim-config';
import { startSimulator } from '../../stack/providers/simulator/simulator';
import { UsageError, type CliCommand } from '../command';
import { parseIntOption, parseNumberOption } from '../option-parsers';

const D = DEFAULT_SETTINGS;

export const simulatorCommand: CliCommand = {
  name: 'simulator',
  summary: 'Run a local OpenAI- and Anthropic-compatible provider with real rate-limit headers and faults',
  usage: `bulkhead simulator [--port N] [--rpm N] [--tpm N] [--otpm N] [--latency MS] [--per-token-ms MS]
                          [--jitter MS] [--seed N] [--fault SPEC ...] [--host H] [--json]

Serves POST /v1/chat/completions (OpenAI) and POST /v1/messages (Anthropic), streaming and not, with
token-bucket limits, the providers' rate-limit headers and error bodies. Any API key is accepted; a
missing one gets the provider's 401. Runs until Ctrl+C.

Options:
  --port N          port (default 0: any free port)
  --host H          address to bind (default 127.0.0.1; 0.0.0.0 exposes it to your network)
  --rpm N           requests per minute, OpenAI and Anthropic (default ${D.openai.rpm}; 0 = no limit)
  --tpm N           OpenAI tokens per minute and Anthropic input tokens per minute (default ${D.openai.tpm})
  --otpm N          Anthropic output tokens per minute (default ${D.anthropic.otpm})
  --latency MS      time to first byte (default 0)
  --per-token-ms MS added per generated output token (default 0)
  --jitter MS       extra uniform latency in [0, MS) from the seeded PRNG (default 0)
  --seed N          seed for jitter, fault decisions and generated text (default 1)
  --fault SPEC      switch a fault on at start; repeatable. SPEC is
                    ${FAULT_SPEC_HELP.split('\n').join('\n                    ')}
  --json            print the base URLs and admin token as one JSON line instead of text
  -h, --help        show this help

At runtime, /_sim/ admin routes (with header x-sim-admin-token) show state and switch faults:
  GET /_sim/state, PATCH /_sim/settings, POST /_sim/faults, DELETE /_sim/faults[/KIND], POST /_sim/reset`,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    rpm: { type: 'string' },
    tpm: { type: 'string' },
    otpm: { type: 'string' },
    latency: { type: 'string' },
    'per-token-ms': { type: 'string' },
    jitter: { type: 'string' },
    seed: { type: 'string' },
    fault: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  },
  async run(values, _positionals, io) {
    const port = parseIntOption('port', values.port, { min: 0, max: 65535 }) ?? 0;
    const rpm = parseIntOption('rpm', values.rpm, { min: 0, max: 100_000_000 });
    const tpm = parseIntOption('tpm', values.tpm, { min: 0, max: 10_000_000_000 });
    const otpm = parseIntOption('otpm', values.otpm, { min: 0, max: 10_000_000_000 });
    const latency = parseNumberOption('latency', values.latency, { min: 0, max: 600_000 });
    const perToken = parseNumberOption('per-token-ms', values['per-token-ms'], { min: 0, max: 60_000 });
    const jitter = parseNumberOption('jitter', values.jitter, { min: 0, max: 600_000 });
    const seed = parseIntOption('seed', values.seed, { min: 0, max: 4_294_967_295 }) ?? 1;
    const faults: FaultSetting[] = ((values.fault as string[] | undefined) ?? []).map((spec) => {
      try {
        return parseFaultSpec(spec);
      } catch (error) {
        throw new UsageError(`--fault: ${isBulkheadError(error) ? `${error.message} ${error.remedy ?? ''}` : String(error)}`);
      }
    });
    const settings: SettingsPatch = {
      openai: { ...(rpm === undefined ? {} : { rpm }), ...(tpm === undefined ? {} : { tpm }) },
      anthropic: { ...(rpm === undefined ? {} : { rpm }), ...(tpm === undefined ? {} : { itpm: tpm }), ...(otpm === undefined ? {} : { otpm }) },
      latency: {
        ...(latency === undefined ? {} : { baseMs: latency }),
        ...(perToken === undefined ? {} : { perTokenMs: perToken }),
        ...(jitter === undefined ? {} : { jitterMs: jitter }),
      },
    };
    const host = typeof values.host === 'string' ? values.host : '127.0.0.1';
    const sim = await startSimulator({ host, port, seed, settings, faults, signal: io.signal });
    const s = sim.control.settings();
    if (values.json) {
      io.stdout(`${JSON.stringify({ url: sim.url, openai_base_url: sim.openaiBaseUrl, anthropic_base_url: sim.anthropicBaseUrl, admin_token: sim.adminToken, seed })}\n`);
    } else {
      io.stdout(
        `Bulkhead provider simulator on ${sim.url}\n` +
          `  OpenAI mode:    OPENAI_BASE_URL=${sim.openaiBaseUrl}   (POST /v1/chat/completions)\n` +
          `  Anthropic mode: ANTHROPIC_BASE_URL=${sim.anthropicBaseUrl}   (POST /v1/messages)\n` +
          `  any API key works, e.g. OPENAI_API_KEY=sk-sim ANTHROPIC_API_KEY=sk-ant-sim\n` +
          `  limits: OpenAI ${s.openai.rpm} RPM / ${s.openai.tpm} TPM; Anthropic ${s.anthropic.rpm} RPM / ${s.anthropic.itpm} ITPM / ${s.anthropic.otpm} OTPM\n` +
          `  latency: ${s.latency.baseMs} ms + ${s.latency.perTokenMs} ms/token + jitter < ${s.latency.jitterMs} ms; seed ${seed}\n` +
          (faults.length > 0 ? `  faults: ${faults.map((f) => `${f.kind} rate ${f.rate ?? 1}${f.durationMs ? ` for ${f.durationMs / 1000}s` : ''}`).join(', ')}\n` : '') +
          `  admin: ${sim.url}/_sim/state with header x-sim-admin-token: ${sim.adminToken ?? ''}\n`,
      );
      io.stderr('Press Ctrl+C to stop.\n');
    }
    const status = setInterval(() => {
      const snap = sim.snapshot();
      if (snap.requestsPerSecond === 0 || values.json) return;
      const faultsOn = snap.faults.map((f) => f.kind).join(',') || 'none';
      io.stderr(`${snap.requestsPerSecond.toFixed(1)} req/s  total ${snap.counters.requests}  429s ${snap.counters.rateLimited}  in flight ${snap.counters.inFlight}  faults ${faultsOn}\n`);
    }, 5000);
    status.unref();
    try {
      await new Promise<void>((resolve) => {
        if (io.signal.aborted) resolve();
        io.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } finally {
      clearInterval(status);
      await sim.stop();
    }
    if (!values.json) io.stderr('simulator stopped\n');
    return 0;
  },
};
