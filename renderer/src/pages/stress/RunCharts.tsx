import { RunChart } from '../../components/RunChart';
import { chartsFor } from '../../../../shared/run-charts';
import type { BoundedColumns } from './run-series';

/** Whether any series of a chart has a value (charts marked onlyWithData stay hidden until one does). */
function hasData(columns: BoundedColumns): boolean {
  return columns.columns.slice(1).some((column) => column.some((value) => value !== null));
}

/** Every chart that applies to one run (stack or HTTP target), from the bounded series of `useRunSeries`. */
export function RunCharts({ store, version, testIdPrefix, isTarget = false }: { store: Map<string, BoundedColumns>; version: number; testIdPrefix: string; isTarget?: boolean }) {
  return (
    <div className="chart-grid">
      {chartsFor(isTarget).filter((chart) => !chart.onlyWithData || hasData(store.get(chart.id)!)).map((chart) => (
        <RunChart
          key={chart.id}
          title={chart.title}
          unit={chart.unit}
          series={chart.series}
          columns={store.get(chart.id)!.columns}
          version={version}
          testId={`${testIdPrefix}-${chart.id}`}
        />
      ))}
    </div>
  );
}
