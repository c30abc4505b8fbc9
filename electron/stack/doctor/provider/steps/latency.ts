import { fail, pass, skip, warn } from '../../doctor-step';
import { requestModels } from '../models-request';
import type { ProviderStepDefinition } from '../provider-doctor-context';

const ROUNDS = 3;
const SLOW_MS = 1_500;

/**
 * Step 11: how long the API takes to answer, on the kept-alive connection (so without DNS, TCP and TLS,
 * which are reported as the connect time): a few more models-list requests, median and worst.
 */
export const latencyStep: ProviderStepDefinition = {
  id: 'latency',
  title: 'Latency',
  deadlineMs: 20_000,
  async run(context, signal) {
    const first = context.response;
    if (!first) return skip('no answer to time');
    const times: number[] = [];
    for (let round = 0; round < ROUNDS && !signal.aborted; round++) {
      const response = await requestModels(context, signal);
      if (response.status !== first.status) return fail(`the answer changed from ${first.status} to ${response.status} between requests`, 'The server is unstable (or a load balancer alternates between servers): check its health.', `HTTP_${response.status}`);
      times.push(response.ms);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? 0;
    const worst = times[times.length - 1] ?? 0;
    const evidence = [`first request (new connection) ${first.ms.toFixed(0)} ms`, `${times.length} more on the same connection: ${times.map((t) => t.toFixed(0)).join(', ')} ms`];
    if (context.connectMs !== undefined) evidence.push(`connect (TCP${context.route?.proxyUrl ? ' + proxy tunnel' : ''}) ${context.connectMs.toFixed(1)} ms`);
    const summary = `median ${median.toFixed(0)} ms, worst ${worst.toFixed(0)} ms`;
    if (median > SLOW_MS) return warn(`${summary}: slow for a models list`, 'Every call pays this before any generation: check the network path (VPN, proxy) or pick a nearer endpoint.', 'SLOW', evidence);
    return pass(summary, evidence);
  },
};
