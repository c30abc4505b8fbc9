import { fail, pass, skip } from '../../doctor-step';
import type { ProviderDoctorContext, ProviderStepDefinition } from '../provider-doctor-context';
import { connectTcp, requestTunnel } from '../tunnel';

const PER_ADDRESS_MS = 4_000;

/**
 * Step 5: a TCP connection to the first hop — the provider, or the proxy followed by a CONNECT tunnel to
 * the provider (what the client does through a proxy, for http:// and https:// alike). The open connection
 * is handed to the TLS step.
 */
export const tcpStep: ProviderStepDefinition = {
  id: 'tcp',
  title: 'TCP connection',
  deadlineMs: 12_000,
  timeoutRemedy: (context) => `Connections to ${context.hop?.host}:${context.hop?.port} hang: a firewall drops them. On a network that allows the web only through a proxy, set HTTPS_PROXY.`,
  async run(context, signal) {
    const hop = context.hop;
    const url = context.modelsUrl;
    if (!hop || !url) return skip('no host');
    const evidence: string[] = [];
    let code = 'ECONNREFUSED';
    for (const { address } of context.addresses ?? []) {
      const result = await connectTcp(address, hop.port, signal, PER_ADDRESS_MS);
      evidence.push(`${address}:${hop.port} → ${result.ok ? `connected in ${result.ms.toFixed(1)} ms` : `${result.code} after ${result.ms.toFixed(0)} ms`}`);
      if (!result.ok) {
        code = result.code;
        continue;
      }
      context.socket = result.socket;
      context.connectMs = result.ms;
      if (!hop.isProxy) return pass(`connected to ${hop.host}:${hop.port} in ${result.ms.toFixed(1)} ms`, evidence);
      return tunnel(context, evidence, signal);
    }
    return refused(context, code, evidence);
  },
};

async function tunnel(context: ProviderDoctorContext, evidence: string[], signal: AbortSignal) {
  const url = context.modelsUrl as URL;
  const route = context.route;
  const socket = context.socket;
  if (!route?.proxyUrl || !socket) return skip('no proxy');
  const target = `${url.hostname}:${Number(url.port) || (url.protocol === 'https:' ? 443 : 80)}`;
  const started = performance.now();
  const answer = await requestTunnel(socket, target, new URL(route.proxyUrl), signal);
  evidence.push(`CONNECT ${target} → ${answer.statusLine}`);
  const proxy = `the proxy ${route.display} (${route.variable})`;
  if (answer.status === 200) {
    context.connectMs = (context.connectMs ?? 0) + (performance.now() - started);
    return pass(`tunnel to ${target} open through ${route.display}`, evidence);
  }
  context.socket = undefined;
  socket.destroy();
  if (answer.status === 407) {
    return fail(`${proxy} wants a login (407)`, `Put the proxy's user name and password in front of its host in ${route.variable}, as in http://USER:PASSWORD@${new URL(route.proxyUrl).host} — reports and logs mask the password.`, 'PROXY_AUTH_REQUIRED', evidence);
  }
  if (answer.status === 403) {
    return fail(`${proxy} refuses tunnels to ${target} (403)`, `The proxy's rules block ${url.hostname}: ask its administrators to allow ${target}, or add ${url.hostname} to NO_PROXY if it can be reached directly.`, 'PROXY_FORBIDDEN', evidence);
  }
  if (answer.status !== null && answer.status >= 500) {
    return fail(`${proxy} could not reach ${target} (${answer.status})`, `The proxy is up but cannot connect to ${url.hostname}: check the host and port in the base URL; a server on this machine or the local network belongs in NO_PROXY.`, `PROXY_${answer.status}`, evidence);
  }
  return fail(`${proxy} did not open a tunnel to ${target}: ${answer.statusLine}`, `Check that ${route.variable} names an HTTP proxy (host:port), not a web server or a PAC file URL.`, answer.status === null ? 'PROXY_NO_ANSWER' : `PROXY_${answer.status}`, evidence);
}

function refused(context: ProviderDoctorContext, code: string, evidence: string[]) {
  const hop = context.hop as { host: string; port: number; isProxy: boolean };
  const where = `${hop.host}:${hop.port}`;
  if (hop.isProxy) {
    const variable = context.route?.variable ?? 'HTTPS_PROXY';
    const fix = `Start the proxy or correct ${variable}; if this network needs no proxy, unset ${variable} (or list ${context.modelsUrl?.hostname} in NO_PROXY).`;
    if (code === 'ETIMEDOUT') return fail(`the proxy ${where} (${variable}) does not answer`, `Connections to the proxy hang: ${fix}`, code, evidence);
    return fail(`nothing accepts connections at the proxy ${where} named by ${variable} (${code})`, fix, code, evidence);
  }
  if (code === 'ETIMEDOUT') {
    return fail(`connections to ${where} time out`, `Packets are dropped on the way: a firewall, or a network that reaches the internet only through a proxy (set HTTPS_PROXY=http://proxy:port).`, code, evidence);
  }
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH') {
    return fail(`no route to ${hop.host} (${code})`, 'This machine has no route to that network: check the VPN and network settings.', code, evidence);
  }
  return fail(
    `nothing accepts connections on ${where} (${code})`,
    `Check the port in the base URL, and that the server runs: local OpenAI-compatible servers listen on their own ports (Ollama 11434, LM Studio 1234, vLLM 8000, LiteLLM 4000). Start it, or correct the URL.`,
    code,
    evidence,
  );
}
