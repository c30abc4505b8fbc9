import { classifyHost } from '../../../db/config/host-kind';
import { isBulkheadError } from '../../../errors';
import { describeProxyVariables, proxyRouteFor } from '../../../providers/proxy-env';
import { fail, pass, skip, warn } from '../../doctor-step';
import type { ProviderStepDefinition } from '../provider-doctor-context';

/**
 * Step 3: whether the provider client goes through a proxy for this URL, decided by the same function the
 * client uses (HTTPS_PROXY / HTTP_PROXY / NO_PROXY and their lower-case forms). Nothing is sent yet: the
 * TCP step connects to the proxy and asks it for a tunnel.
 */
export const proxyStep: ProviderStepDefinition = {
  id: 'proxy',
  title: 'Proxy',
  deadlineMs: 2_000,
  async run(context) {
    const url = context.modelsUrl;
    if (!url) return skip('no URL');
    const env = context.input.env;
    const evidence = describeProxyVariables(env);
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let route;
    try {
      route = proxyRouteFor(url.href, env);
    } catch (error) {
      const remedy = isBulkheadError(error) && error.remedy ? error.remedy : 'Fix the proxy variable or unset it.';
      return fail(error instanceof Error ? error.message : String(error), remedy, isBulkheadError(error) ? error.code : 'provider.invalid_proxy', evidence);
    }
    context.route = route;
    if (route.proxyUrl === null) {
      context.hop = { host, port, isProxy: false };
      if (route.bypassedBy !== null) return pass(`direct: ${route.noProxyVariable} entry "${route.bypassedBy}" covers ${host}`, evidence);
      return pass(`direct: no ${url.protocol === 'https:' ? 'HTTPS_PROXY or HTTP_PROXY' : 'HTTP_PROXY'} is set`, evidence);
    }
    const proxy = new URL(route.proxyUrl);
    context.hop = { host: proxy.hostname.replace(/^\[|\]$/g, ''), port: Number(proxy.port) || (proxy.protocol === 'https:' ? 443 : 80), isProxy: true };
    if (proxy.protocol === 'https:') {
      return fail(
        `${route.variable} names an https:// proxy (${route.display}); the doctor tests tunnels through http:// proxies only`,
        `Most proxies take plain http:// for CONNECT tunnels (TLS still ends at the provider): set ${route.variable}=http://${proxy.host}.`,
        'provider.proxy_https_unsupported',
        evidence,
      );
    }
    const detail = `through ${route.display} (${route.variable}), a CONNECT tunnel to ${host}:${port}`;
    const upper = route.variable?.toUpperCase();
    const other = upper && upper !== route.variable ? env[upper]?.trim() : undefined;
    if (other && other !== env[route.variable ?? '']?.trim()) {
      return warn(`${detail}; ${upper} is set to another proxy and is ignored`, `${route.variable} wins over ${upper} (as in curl): unset one of them so every tool uses the same proxy.`, 'provider.proxy_conflict', evidence);
    }
    if (classifyHost(host) === 'loopback' && classifyHost(context.hop.host) !== 'loopback') {
      return warn(
        `${detail}: a proxy on another machine cannot reach this machine's ${host}`,
        `Add ${host} to NO_PROXY (NO_PROXY=localhost,127.0.0.1,::1) so servers on this machine are reached directly.`,
        'provider.proxy_for_loopback',
        evidence,
      );
    }
    return pass(detail, evidence);
  },
};
