import { classifyHost } from '../../db/config/host-kind';
import { findPostgresService, readComposeHints } from '../../db/docker/compose-hints';
import { detectContainer } from '../../db/docker/container-context';
import { pass, skip, warn, type DoctorStepDefinition } from '../doctor-step';
import { publishedPortHint } from '../remedies';

/** Step 3: are we in a container, and does the host make sense from where we are? Never blocks. */
export const containerStep: DoctorStepDefinition = {
  id: 'container',
  title: 'Container context',
  deadlineMs: 2000,
  async run(context) {
    const container = detectContainer(context.input.fsRoot ?? '/', process.platform, context.input.env);
    context.container = container;
    context.compose = readComposeHints(context.input.cwd);
    const settings = context.settings;
    const evidence = [...container.evidence];
    if (context.compose) {
      evidence.push(`${context.compose.file}: services ${context.compose.services.map((s) => `${s.name}${s.published.length ? ` (${s.published.map((p) => `${p.host}→${p.container}`).join(', ')})` : ''}`).join(', ') || '(none found)'}`);
    }
    if (!settings) return skip('no target to check', evidence);
    const kind = classifyHost(settings.host);
    const where =
      container.runtime === 'network-namespace'
        ? `inside its own network namespace "${container.networkNamespace}", as in a container`
        : container.inContainer
          ? `inside a ${container.runtime} container`
          : 'on the host (not in a container)';

    if (container.inContainer && kind === 'loopback' && !context.embedded) {
      // Right when PostgreSQL runs in this same container; the TCP step explains it if nothing answers.
      return pass(`${where}; ${settings.host} here means this container itself (right only if PostgreSQL runs in it too)`, evidence);
    }
    if (container.inContainer && kind === 'docker-host' && container.platform === 'linux' && !container.hostGatewayInEtcHosts) {
      return warn(
        `${where} on Linux, and ${settings.host} is not in /etc/hosts: Docker Engine on Linux does not define it by itself`,
        'Add `extra_hosts: ["host.docker.internal:host-gateway"]` to this service in compose.yml (or `--add-host=host.docker.internal:host-gateway` to docker run).',
        'HOST_GATEWAY_MISSING',
        evidence,
      );
    }
    if (!container.inContainer && kind === 'service-name') {
      const service = context.compose ? findPostgresService(context.compose, settings.host) : undefined;
      if (service?.name === settings.host) {
        return warn(
          `${where}, and "${settings.host}" is a service in ${context.compose?.file}: service names resolve only inside the compose network`,
          publishedPortHint(service, settings),
          'SERVICE_NAME_FROM_HOST',
          evidence,
        );
      }
    }
    return pass(where, evidence);
  },
};
