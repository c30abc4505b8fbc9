import type { RefObject } from 'react';

interface Props {
  title: string;
  /** The element uPlot draws into (from useUPlot). */
  host: RefObject<HTMLDivElement | null>;
  zoomed: boolean;
  onResetZoom: () => void;
  testId?: string | undefined;
}

/** A chart's card: its title, the reset control while zoomed (a hint otherwise), and the plot. */
export function ChartFrame({ title, host, zoomed, onResetZoom, testId }: Props) {
  return (
    <figure className="chart" data-testid={testId} data-zoomed={zoomed ? 'true' : undefined}>
      <figcaption>
        <span>{title}</span>
        {zoomed ? (
          <button type="button" className="small" onClick={onResetZoom} data-testid={testId ? `${testId}-reset-zoom` : undefined}>
            Reset zoom
          </button>
        ) : (
          <span className="chart-hint">drag across to zoom</span>
        )}
      </figcaption>
      <div ref={host} className="chart-canvas" />
    </figure>
  );
}
