import type { chaosMethods } from '../../../shared/contract/chaos';
import type { HandlersOf } from '../service/feature';
import { parseHostPort } from './proxy/host-port';
import type { ProxyRegistry } from './proxy/proxy-registry';

/** chaos.proxies.* and chaos.toxics.*: the named fault proxies, one call each. */
export function proxyHandlers(proxies: ProxyRegistry): HandlersOf<typeof chaosMethods> {
  return {
    'chaos.proxies.list': () => proxies.list(),
    'chaos.proxies.create': async ({ name, upstream, listenPort, purpose }) => {
      const proxy = await proxies.create({ name, upstream: parseHostPort(upstream, 'upstream'), listen: { host: '127.0.0.1', port: listenPort }, purpose });
      return proxy.snapshot();
    },
    'chaos.proxies.delete': async ({ name }) => ({ deleted: await proxies.delete(name) }),
    'chaos.proxies.setEnabled': async ({ name, enabled }) => {
      const proxy = proxies.get(name);
      await proxy.setEnabled(enabled);
      return proxy.snapshot();
    },
    'chaos.proxies.reset': ({ name }) => proxies.reset(name),
    'chaos.toxics.add': ({ proxy, toxic }) => {
      const target = proxies.get(proxy);
      target.addToxic(toxic);
      return target.snapshot();
    },
    'chaos.toxics.remove': ({ proxy, name }) => {
      const target = proxies.get(proxy);
      target.removeToxic(name);
      return target.snapshot();
    },
  };
}
