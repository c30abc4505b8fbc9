import type { ChaosRun } from '../../../../shared/contract';

const KIND_LABEL: Record<ChaosRun['timeline'][number]['kind'], string> = {
  started: 'started',
  'fault-start': 'fault on',
  'fault-end': 'fault off',
  recovered: 'recovered',
  'not-recovered': 'not recovered',
  note: 'note',
  error: 'error',
  stopped: 'over',
};

/**
 * A scenario run as a strip in time — normal traffic, the fault window (red), the wait for recovery
 * (amber) and the recovery mark (green) — with the events listed underneath.
 */
export function ChaosTimeline({ run }: { run: ChaosRun }) {
  const events = run.timeline;
  const end = Math.max(events.at(-1)?.atMs ?? 0, (run.params.startAfterS + run.params.faultS + run.params.recoveryBoundS) * 1000, 1);
  const at = (kind: string) => events.find((e) => e.kind === kind)?.atMs;
  const faultStart = at('fault-start');
  const faultEnd = at('fault-end');
  const recovered = at('recovered') ?? at('not-recovered');
  const pct = (ms: number) => `${Math.min(100, (ms / end) * 100)}%`;
  return (
    <div className="chaos-timeline" data-testid="chaos-timeline">
      <div className="timeline-strip" aria-hidden="true">
        {faultStart !== undefined ? (
          <div className="timeline-fault" style={{ left: pct(faultStart), width: `calc(${pct((faultEnd ?? end) - faultStart)} + 2px)` }} />
        ) : null}
        {faultEnd !== undefined && recovered !== undefined ? (
          <div className={`timeline-recovery ${at('recovered') !== undefined ? 'ok' : 'bad'}`} style={{ left: pct(faultEnd), width: `calc(${pct(recovered - faultEnd)} + 2px)` }} />
        ) : null}
        {events.map((event, index) => (
          <div key={index} className={`timeline-mark mark-${event.kind}`} style={{ left: pct(event.atMs) }} title={`${(event.atMs / 1000).toFixed(1)} s ${event.kind}: ${event.detail}`} />
        ))}
      </div>
      <ol className="timeline-events">
        {events.map((event, index) => (
          <li key={index} className={`event-${event.kind}`}>
            <span className="timeline-at">{(event.atMs / 1000).toFixed(1)} s</span>
            <span className="timeline-kind">{KIND_LABEL[event.kind]}</span>
            <span>{event.detail}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
