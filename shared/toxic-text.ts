import type { ProxySnapshot } from './contract/chaos';

type ToxicView = ProxySnapshot['toxics'][number];

/** One line a person can read: "latency 200 ms ± 50 ms on server → client, every connection". */
export function describeToxic(toxic: ToxicView): string {
  const direction = toxic.stream === 'upstream' ? 'client → server' : 'server → client';
  const reach = toxic.toxicity >= 1 ? 'every connection' : `${Math.round(toxic.toxicity * 100)} % of connections`;
  return `${describeEffect(toxic)} on ${direction}, ${reach}`;
}

function describeEffect(toxic: ToxicView): string {
  switch (toxic.type) {
    case 'latency':
      return `latency ${toxic.attributes.latency} ms${toxic.attributes.jitter ? ` ± ${toxic.attributes.jitter} ms` : ''}`;
    case 'bandwidth':
      return `bandwidth ${toxic.attributes.rate} KB/s`;
    case 'timeout':
      return toxic.attributes.timeout === 0 ? 'blackhole (hang until removed)' : `timeout: drop data, close after ${toxic.attributes.timeout} ms`;
    case 'reset_peer':
      return toxic.attributes.timeout === 0 ? 'reset on first data' : `reset ${toxic.attributes.timeout} ms after first data`;
    case 'slow_close':
      return `slow close, ${toxic.attributes.delay} ms`;
    case 'limit_data':
      return `close after ${toxic.attributes.bytes} bytes`;
    case 'slicer':
      return `slices of ${toxic.attributes.average_size}${toxic.attributes.size_variation ? ` ± ${toxic.attributes.size_variation}` : ''} bytes, ${toxic.attributes.delay} µs apart`;
  }
}
