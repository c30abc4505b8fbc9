import type { CliCommand } from '../command';
import { benchCommand } from './bench';
import { chaosCommand } from './chaos';
import { doctorCommand } from './doctor';
import { openCommand } from './open';
import { serveCommand } from './serve';
import { simulatorCommand } from './simulator';
import { stressCommand } from './stress';

/** Every subcommand, in the order `bulkhead --help` lists them. */
export const commands: readonly CliCommand[] = [serveCommand, openCommand, doctorCommand, simulatorCommand, stressCommand, benchCommand, chaosCommand];
