import type { ProxyRegistry } from '../chaos/proxy/proxy-registry';
import { parseHostPort } from '../chaos/proxy/host-port';
import type { HandlersFor } from './handlers';

type ChaosMethod =
  | 'chaos.proxies.list'
  | 'chaos.proxies.create'
  | 'chaos.proxies.delete'
  | 'chaos.proxies.setEnabled'
  | 'chaos.proxies.reset'
  | 'chaos.toxics.add'
  | 'chaos.toxics.remove';

export function createChaosHandlers(proxies: ProxyRegistry): HandlersFor<ChaosMethod> {
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
