import type { WebFrameMain } from 'electron';
import { isAppUrl } from '../app-protocol';

/**
 * Only our own top-level page may talk to the stack: the sending frame must exist and be on
 * app://bulkhead. Anything else (a frame that navigated away, an iframe from elsewhere) is dropped.
 */
export function isTrustedFrame(frame: WebFrameMain | null | undefined): boolean {
  if (!frame || frame.parent !== null) return false;
  return isAppUrl(frame.url);
}
