import { useEffect, useState } from 'react';
import type { DoctorReport, StoredDoctorReport } from '../../../../shared/contract';
import { useHashRoute } from '../../app/use-hash-route';
import { useEvent } from '../../hooks/bridge-context';
import { useAction } from '../../hooks/use-action';
import { useCall } from '../../hooks/use-call';
import type { LiveStep } from './DoctorStepList';

interface LiveRun {
  runId: string;
  steps: LiveStep[];
}

/**
 * The Doctor page's state: the optional URL, the live steps of a diagnosis as they arrive, the report shown
 * (the last run, one picked from the history, or `?report=12` from the Pool page), and the history.
 */
export function useDoctorPage() {
  const { query } = useHashRoute();
  const [url, setUrl] = useState('');
  const [live, setLive] = useState<LiveRun | null>(null);
  const [shown, setShown] = useState<StoredDoctorReport | null>(null);
  const [copied, setCopied] = useState(false);
  const [historyKey, setHistoryKey] = useState(0);
  const history = useCall('doctor.history', { limit: 20 }, String(historyKey));
  const requestedId = Number(query.get('report') ?? Number.NaN);

  const diagnose = useAction((bridge, target: string) => bridge.call('doctor.run', target === '' ? {} : { url: target }), {
    onSuccess: (stored) => {
      setShown(stored);
      setHistoryKey((k) => k + 1);
    },
  });
  const open = useAction((bridge, id: number) => bridge.call('doctor.report', { id }), { onSuccess: (report) => setShown(report) });
  const running = diagnose.pending;

  // #/doctor?report=12 (from the Pool page's history) opens that report.
  const { run: openReport } = open;
  useEffect(() => {
    if (Number.isInteger(requestedId)) void openReport(requestedId);
  }, [openReport, requestedId]);

  useEvent('doctor.progress', (event) => {
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

  const report: DoctorReport | null = shown?.report ?? null;
  const steps: LiveStep[] = running || !report ? (live?.steps ?? []) : report.steps.map((step) => ({ id: step.id, title: step.title, phase: 'done', step }));

  return {
    url,
    setUrl,
    running,
    shown,
    report,
    steps,
    copied,
    history,
    error: diagnose.error ?? open.error,
    run: () => {
      setShown(null);
      setCopied(false);
      void diagnose.run(url.trim());
    },
    openReport: (id: number) => {
      if (!running) void openReport(id);
    },
    copy: () => {
      if (!report || !navigator.clipboard) return;
      navigator.clipboard.writeText(JSON.stringify(report, null, 2)).then(
        () => setCopied(true),
        () => setCopied(false), // clipboard refused (no permission): the JSON stays visible to select by hand
      );
    },
  };
}
