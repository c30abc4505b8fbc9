import type { Socket } from 'node:net';
import type { Clock } from '../../clock/clock';
import type { BoundApiKey } from '../../providers/bound-api-key';
import type { ProviderHttpPool } from '../../providers/http-pool';
import type { ProviderName } from '../../providers/provider-types';
import type { ProxyRoute } from '../../providers/proxy-env';
import type { SecretStore } from '../../secrets/secret-store';
import type { DoctorStepDefinition } from '../doctor-step';

export interface ProviderDoctorInput {
  readonly provider: ProviderName;
  /** `--provider-url`, or the URL typed on the Doctor page; default: the base URL the key is bound to. */
  readonly providerUrl?: string | undefined;
  /** Where `providerUrl` came from, for messages (default `--provider-url`). */
  readonly urlLabel?: string | undefined;
  /** The model to look for; default BULKHEAD_OPENAI_MODEL / BULKHEAD_ANTHROPIC_MODEL, else what stress runs use. */
  readonly model?: string | undefined;
  /** Keys, base-URL bindings and proxy variables are read from here. */
  readonly env: NodeJS.ProcessEnv;
  /** Keys saved on Settings. */
  readonly secrets?: SecretStore | undefined;
  /** A key that is no secret, bound to where it is used (the built-in simulator's); skips env and Settings. */
  readonly explicitKey?: BoundApiKey | undefined;
  /** What the key step says about an explicit key, e.g. "the built-in simulator's own key". */
  readonly explicitKeyLabel?: string | undefined;
  readonly clock: Clock;
}

/** The one answer the HTTP step got to its models request, kept for the auth, model and limits steps. */
export interface ModelsResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text (capped), secrets not yet scrubbed: steps must not quote it whole. */
  readonly text: string;
  readonly json: unknown;
  readonly ms: number;
  /** Whether the request carried the key (false: none configured, or bound to another origin). */
  readonly keySent: boolean;
}

/** What the steps learn, in order; a step reads what earlier steps established. */
export interface ProviderDoctorContext {
  readonly input: ProviderDoctorInput;
  /** The key, or null when none is configured (the key step says why). */
  key?: BoundApiKey | null;
  /** Why no key goes with the requests although one exists (bound to another origin), for the auth step. */
  keyWithheld?: { code: string; detail: string; remedy: string };
  /** The base URL diagnosed, and where the models list is. */
  baseUrl?: string;
  modelsUrl?: URL;
  /** Masked target for the report. */
  target?: string;
  route?: ProxyRoute;
  /** Where the TCP connection goes: the proxy when one is used, else the provider. */
  hop?: { host: string; port: number; isProxy: boolean };
  addresses?: { address: string; family: number }[];
  /** The open (tunnelled) connection the TLS step continues on; closed by the TLS step or at the end. */
  socket?: Socket;
  connectMs?: number;
  /** The client pool the HTTP and latency steps request through (keep-alive), closed at the end. */
  pool?: ProviderHttpPool;
  response?: ModelsResponse;
  cleanups: (() => Promise<void>)[];
}

/** One step of the provider doctor. */
export type ProviderStepDefinition = DoctorStepDefinition<ProviderDoctorContext>;
