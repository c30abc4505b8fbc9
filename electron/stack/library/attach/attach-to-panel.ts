import type { AttachReporter } from './attach-reporter';
import { attachToPanel as attachRegistryToPanel, type AttachToPanelOptions } from './auto-attach';
import { libraryRegistry } from '../library-registry';

export { autoAttachReporter } from './auto-attach';
export type { AttachToPanelOptions };

/**
 * Reports this process's library primitives to a Bulkhead panel. Not needed when BULKHEAD_ATTACH is set
 * (the library starts reporting by itself); for a URL from somewhere else, or a name of your choosing.
 */
export function attachToPanel(options: AttachToPanelOptions = {}): AttachReporter {
  return attachRegistryToPanel(libraryRegistry, options);
}
