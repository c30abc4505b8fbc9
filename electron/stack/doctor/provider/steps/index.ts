import type { ProviderStepDefinition } from '../provider-doctor-context';
import { authStep } from './auth';
import { dnsStep } from './dns';
import { httpStep } from './http';
import { keyStep } from './key';
import { latencyStep } from './latency';
import { limitsStep } from './limits';
import { modelStep } from './model';
import { proxyStep } from './proxy';
import { tcpStep } from './tcp';
import { tlsStep } from './tls';
import { urlStep } from './url';

/** The provider doctor's steps in order (PROVIDER_DOCTOR_STEP_IDS in the contract lists the same ids). */
export const providerDoctorSteps: readonly ProviderStepDefinition[] = [keyStep, urlStep, proxyStep, dnsStep, tcpStep, tlsStep, httpStep, authStep, modelStep, limitsStep, latencyStep];
