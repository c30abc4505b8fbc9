import { useState } from 'react';
import type { DoctorProvider, DoctorReport, ProviderDoctorResult } from '../../../../shared/contract';
import { useEvent } from '../../hooks/bridge-context';
import { useAction } from '../../hooks/use-action';
import type { LiveStep } from './DoctorStepList';

interface LiveRun {
  runId: string;
  steps: LiveStep[];
}

/**
 * The Provider section's state: which provider, an optional base URL, the live steps as they arrive
 * (doctor.provider.progress) and the last report. Reports are not stored, so there is no history.
 */
export function useProviderDoctor() {
  const [provider, setProvider] = useState<DoctorProvider>('simulator');
  const [url, setUrl] = useState('');
  const [live, setLive] = useState<LiveRun | null>(null);
  const [result, setResult] = useState<ProviderDoctorResult | null>(null);
  const diagnose = useAction((bridge, params: { provider: DoctorProvider; providerUrl?: string }) => bridge.call('doctor.provider', params), {
    onSuccess: (stored) => setResult(stored),
  });
  const running = diagnose.pending;

  useEvent('doctor.provider.progress', (event) => {
    if (event.phase === 'started') {
      setLive({ runId: event.runId, steps: event.steps.map((s) => ({ ...s, phase: 'pending' })) });
      return;
    }
    setLive((current) => {
      if (!current || current.runId !== event.runId) return current;
      if (event.phase === 'running') return { ...current, steps: current.steps.map((s) => (s.id === event.id ? { id: s.id, title: s.title, phase: 'running' } : s)) };
      if (event.phase === 'step') return { ...current, steps: current.steps.map((s) => (s.id === event.step.id ? { id: s.id, title: s.title, phase: 'done', step: event.step } : s)) };
      return current;
    });
  });

  const report: DoctorReport | null = result?.report ?? null;
  const steps: LiveStep[] = running || !report ? (live?.steps ?? []) : report.steps.map((step) => ({ id: step.id, title: step.title, phase: 'done', step }));

  return {
    provider,
    setProvider: (next: DoctorProvider) => {
      setProvider(next);
      if (next === 'simulator') setUrl('');
    },
    url,
    setUrl,
    running,
    result,
    report,
    steps,
    error: diagnose.error,
    run: () => {
      setResult(null);
      setLive(null);
      const providerUrl = url.trim();
      void diagnose.run(provider !== 'simulator' && providerUrl !== '' ? { provider, providerUrl } : { provider });
    },
  };
}
