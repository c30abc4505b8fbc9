import { describeError } from '../../../errors';
import { fail, pass, skip, warn } from '../../doctor-step';
import { requestModels } from '../models-request';
import { showUrl } from '../models-url';
import type { ProviderDoctorContext, ProviderStepDefinition } from '../provider-doctor-context';

/**
 * Step 7: one request that costs nothing — GET the models list — through the provider client's own pool
 * and proxy route. Any answer in the API's shape passes here (401 and 403 are the auth step's to judge);
 * redirects, missing routes, HTML pages and server errors fail with what they mean.
 */
export const httpStep: ProviderStepDefinition = {
  id: 'http',
  title: 'HTTP',
  deadlineMs: 15_000,
  timeoutRemedy: (context) => `GET ${context.modelsUrl ? showUrl(context.modelsUrl) : 'the models list'} got no answer: the server accepts connections but does not respond. Check that it is an HTTP API and not overloaded.`,
  async run(context, signal) {
    const url = context.modelsUrl;
    if (!url) return skip('no URL');
    const request = `GET ${showUrl(url)}`;
    let response;
    try {
      response = await requestModels(context, signal);
    } catch (error) {
      const code = String((error as { code?: unknown }).code ?? 'HTTP_ERROR');
      return fail(`${request} failed: ${describeError(error)}`, transportRemedy(context, code), code);
    }
    context.response = response;
    const { status, headers } = response;
    const evidence = [`${request} → ${status} in ${response.ms.toFixed(0)} ms${response.keySent ? '' : ' (sent without a key)'}`];
    const requestId = headers['x-request-id'] ?? headers['request-id'];
    if (requestId) evidence.push(`request id ${requestId}`);
    const isJson = (headers['content-type'] ?? '').includes('json') || response.json !== null;
    if (status >= 300 && status < 400) {
      return fail(`${request} answered a redirect (${status})${redirectTarget(headers.location, url)}`, 'Redirects are not followed, so a key never goes to another origin: use the URL it points to as the base URL.', `HTTP_${status}`, evidence);
    }
    if (status === 404 || status === 405) return notFound(context, status, evidence);
    if (!isJson) {
      return fail(
        `${request} answered ${status} with ${headers['content-type'] ?? 'no content type'}, not the API's JSON`,
        `This is not an OpenAI/Anthropic-style API answer: a web page, a login portal or a proxy's block page. Open ${showUrl(url)} in a browser from this machine to see what answers, then correct the base URL or the proxy.`,
        'HTTP_NOT_API',
        evidence,
      );
    }
    if (status === 529) return warn(`${request} → 529: the provider is overloaded right now (not your quota)`, 'Try again in a few minutes; the provider status page says more.', 'overloaded_error', evidence);
    if (status >= 500) {
      const via = context.route?.proxyUrl ? ` A 502/504 can also come from the proxy ${context.route.display} failing to reach it.` : '';
      return fail(`${request} → ${status}: the server had an error`, `The provider failed on its side; try again, and check its status page.${via}`, `HTTP_${status}`, evidence);
    }
    return pass(`the API answered ${status} in ${response.ms.toFixed(0)} ms${status === 401 || status === 403 ? ' (the auth step reads it)' : ''}`, evidence);
  },
};

function notFound(context: ProviderDoctorContext, status: number, evidence: string[]) {
  const url = context.modelsUrl as URL;
  const provider = context.input.provider;
  const examples = provider === 'openai' ? 'https://api.openai.com/v1, https://openrouter.ai/api/v1, http://localhost:11434/v1 (Ollama)' : 'https://api.anthropic.com';
  return fail(
    `GET ${showUrl(url)} → ${status}: no models list at this path — the base URL's path is wrong for this API`,
    `An ${provider === 'openai' ? 'OpenAI-compatible' : 'Anthropic'} API lists its models at <base URL>/models. Check the server's documentation for its base URL (examples: ${examples}) and pass it with --provider-url, or bind the key to it. Chat calls would go to the same wrong path and fail with 404 too.`,
    `HTTP_${status}`,
    evidence,
  );
}

function transportRemedy(context: ProviderDoctorContext, code: string): string {
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'The server took more than 10 s to answer a models list: it is overloaded or not an HTTP API.';
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET') return 'The connection closed before an answer: a proxy or firewall cut it, or the server crashed. Check its log.';
  if (context.route?.proxyUrl) return `Check the proxy ${context.route.display} (${context.route.variable}).`;
  return 'The steps above connected, so this is the server: check its log and the base URL.';
}

function redirectTarget(location: string | undefined, url: URL): string {
  if (!location) return '';
  try {
    const target = new URL(location, url);
    return target.origin === url.origin ? ` to ${target.pathname}` : ` to ${target.origin}`;
  } catch {
    return '';
  }
}
