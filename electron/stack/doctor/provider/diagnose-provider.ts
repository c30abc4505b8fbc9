import type { DoctorReport } from '../../../../shared/contract/doctor';
import type { DoctorProvider } from '../../../../shared/contract/provider-doctor';
import type { Clock } from '../../clock/clock';
import { BoundApiKey } from '../../providers/bound-api-key';
import { SIMULATOR_KEY } from '../../providers/provider-setup';
import { startSimulator } from '../../providers/simulator/simulator';
import type { SecretStore } from '../../secrets/secret-store';
import { runProviderDoctor, type RunProviderDoctorOptions } from './run-provider-doctor';

export interface ProviderDiagnosisRequest {
  provider: DoctorProvider;
  providerUrl?: string | undefined;
  urlLabel?: string | undefined;
  model?: string | undefined;
}

export interface ProviderDiagnosisDeps {
  env: NodeJS.ProcessEnv;
  secrets?: SecretStore | undefined;
  clock: Clock;
}

/**
 * One provider diagnosis. `simulator` starts the built-in simulator on loopback for the check and
 * diagnoses it with its own key (no secret; no proxy variables apply to it), then stops it.
 */
export async function diagnoseProvider(request: ProviderDiagnosisRequest, deps: ProviderDiagnosisDeps, options: RunProviderDoctorOptions = {}): Promise<DoctorReport> {
  if (request.provider !== 'simulator') {
    return runProviderDoctor({ provider: request.provider, providerUrl: request.providerUrl, urlLabel: request.urlLabel, model: request.model, env: deps.env, secrets: deps.secrets, clock: deps.clock }, options);
  }
  const simulator = await startSimulator({ clock: deps.clock, ...(options.signal ? { signal: options.signal } : {}) });
  try {
    return await runProviderDoctor(
      {
        provider: 'openai',
        model: request.model,
        // The simulator is on this machine: proxy variables are not passed, as the client never proxies it.
        env: withoutProxyVariables(deps.env),
        explicitKey: BoundApiKey.explicit('openai', SIMULATOR_KEY, simulator.openaiBaseUrl),
        explicitKeyLabel: "the built-in simulator's own key",
        clock: deps.clock,
      },
      options,
    );
  } finally {
    await simulator.stop();
  }
}

function withoutProxyVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']) delete copy[name];
  return copy;
}
