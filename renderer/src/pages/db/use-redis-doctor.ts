import { useState } from 'react';
import { useAction } from '../../hooks/use-action';

/** The Redis section's state: the optional URL (empty = BULKHEAD_REDIS_URL of the stack) and the last report. */
export function useRedisDoctor() {
  const [url, setUrl] = useState('');
  const diagnose = useAction((bridge, target: string) => bridge.call('doctor.redis', target === '' ? {} : { url: target }));
  return {
    url,
    setUrl,
    running: diagnose.pending,
    report: diagnose.pending ? null : diagnose.result,
    error: diagnose.error,
    run: () => void diagnose.run(url.trim()),
  };
}
