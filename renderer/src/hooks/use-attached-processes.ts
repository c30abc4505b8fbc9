import { useEffect, useState } from 'react';
import type { AttachProcessList } from '../../../shared/contract';
import { useBridge, useEvent } from './bridge-context';

/** Attached processes, live: fetched once at mount, then pushed every monitor tick. */
export function useAttachedProcesses(): AttachProcessList | null {
  const bridge = useBridge();
  const [list, setList] = useState<AttachProcessList | null>(null);
  useEffect(() => {
    let live = true;
    bridge.call('attach.processes', {}).then(
      (first) => live && setList((current) => current ?? first),
      () => undefined, // the pushed list follows within a tick
    );
    return () => {
      live = false;
    };
  }, [bridge]);
  useEvent('attach.processes', setList);
  return list;
}
