import type { DoctorStepDefinition } from '../doctor-step';
import { authStep } from './auth';
import { containerStep } from './container';
import { databaseStep } from './database';
import { dnsStep } from './dns';
import { envStep } from './env';
import { extensionsStep } from './extensions';
import { latencyStep } from './latency';
import { poolStep } from './pool';
import { pgbouncerStep } from './pgbouncer';
import { privilegesStep } from './privileges';
import { serverStep } from './server';
import { tcpStep } from './tcp';
import { tlsStep } from './tls';
import { urlStep } from './url';

/** The doctor's steps in order (DATABASE_DOCTOR_STEP_IDS in the contract lists the same ids). */
export const doctorSteps: readonly DoctorStepDefinition[] = [
  envStep,
  urlStep,
  containerStep,
  dnsStep,
  tcpStep,
  tlsStep,
  authStep,
  databaseStep,
  serverStep,
  pgbouncerStep,
  extensionsStep,
  privilegesStep,
  poolStep,
  latencyStep,
];
