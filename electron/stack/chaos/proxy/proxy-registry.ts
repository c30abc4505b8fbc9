import type { ProxySnapshot } from '../../../../shared/contract/chaos';
import type { Clock } from '../../clock/clock';
import { BulkheadError } from '../../errors';
import { FaultProxy, type FaultProxyOptions } from './fault-proxy';

/**
 * The stack's named fault proxies. The panel and the CLI create them in front of a dependency;
 * chaos scenarios look them up by name. `stopAll` runs when the stack stops.
 */
export class ProxyRegistry {
  private readonly proxies = new Map<string, FaultProxy>();

  constructor(private readonly defaults: { clock: Clock; random?: () => number }) {}

  get size(): number {
    return this.proxies.size;
  }

  async create(options: Omit<FaultProxyOptions, 'clock'>): Promise<FaultProxy> {
    if (this.proxies.has(options.name)) {
      throw new BulkheadError('PROXY_EXISTS', `A fault proxy named ${options.name} already exists.`, {
        remedy: 'Delete it first, or choose another name.',
      });
    }
    const proxy = await FaultProxy.start({ random: this.defaults.random, ...options, clock: this.defaults.clock });
    if (this.proxies.has(options.name)) {
      // two creates raced; keep the first
      await proxy.stop();
      throw new BulkheadError('PROXY_EXISTS', `A fault proxy named ${options.name} already exists.`);
    }
    this.proxies.set(options.name, proxy);
    return proxy;
  }

  get(name: string): FaultProxy {
    const proxy = this.proxies.get(name);
    if (!proxy) {
      throw new BulkheadError('PROXY_NOT_FOUND', `No fault proxy named ${name}.`, {
        remedy: this.proxies.size > 0 ? `Proxies: ${[...this.proxies.keys()].join(', ')}.` : 'Create one first (chaos.proxies.create or `bulkhead chaos proxy`).',
      });
    }
    return proxy;
  }

  find(name: string): FaultProxy | undefined {
    return this.proxies.get(name);
  }

  async delete(name: string): Promise<boolean> {
    const proxy = this.proxies.get(name);
    if (!proxy) return false;
    this.proxies.delete(name);
    await proxy.stop();
    return true;
  }

  /** Every toxic removed and every proxy up (or only the named one). */
  async reset(name?: string): Promise<ProxySnapshot[]> {
    const targets = name === undefined ? [...this.proxies.values()] : [this.get(name)];
    await Promise.all(targets.map((proxy) => proxy.reset()));
    return this.list();
  }

  list(): ProxySnapshot[] {
    return [...this.proxies.values()].map((proxy) => proxy.snapshot());
  }

  async stopAll(): Promise<void> {
    const all = [...this.proxies.values()];
    this.proxies.clear();
    await Promise.all(all.map((proxy) => proxy.stop()));
  }
}
