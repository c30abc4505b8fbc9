import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { fail, pass, skip } from '../../doctor-step';
import type { ProviderStepDefinition } from '../provider-doctor-context';

/** Step 4: the name of the first hop (the proxy when one is used, else the provider) resolves. */
export const dnsStep: ProviderStepDefinition = {
  id: 'dns',
  title: 'DNS',
  deadlineMs: 6_000,
  timeoutRemedy: (context) => `Resolving ${context.hop?.host} hangs: the DNS server does not answer. Check the network or VPN, or /etc/resolv.conf.`,
  async run(context) {
    const hop = context.hop;
    if (!hop) return skip('no host');
    const what = hop.isProxy ? `the proxy ${hop.host}` : hop.host;
    if (isIP(hop.host)) {
      context.addresses = [{ address: hop.host, family: isIP(hop.host) }];
      return pass(`${what} is an IP address: nothing to resolve`);
    }
    try {
      const addresses = await lookup(hop.host, { all: true });
      context.addresses = addresses;
      return pass(`${what} → ${addresses.map((a) => a.address).join(', ')}`);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'ENOTFOUND';
      const variable = context.route?.variable ?? 'HTTPS_PROXY';
      if (code === 'EAI_AGAIN') {
        return fail(`${what} could not be resolved right now (EAI_AGAIN)`, 'The DNS server did not answer: check this machine is online (VPN, Wi-Fi), then try again.', code);
      }
      const remedy = hop.isProxy
        ? `The proxy's host name in ${variable} does not resolve: fix the variable (ask for the proxy's address), or unset it if this network needs no proxy.`
        : `${hop.host} does not resolve: check its spelling in the base URL. On a network where only the proxy resolves outside names, set HTTPS_PROXY to the proxy (http://host:port).`;
      return fail(`${what} does not resolve (${code})`, remedy, code);
    }
  },
};
