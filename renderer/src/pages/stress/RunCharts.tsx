import { RunChart } from '../../components/RunChart';
import { RUN_CHARTS, type BoundedColumns } from './run-series';

/** Every chart of one run, from the bounded series of `useRunSeries`. */
export function RunCharts({ store, version, testIdPrefix }: { store: Map<string, BoundedColumns>; version: number; testIdPrefix: string }) {
  return (
    <div className="chart-grid">
      {RUN_CHARTS.map((chart) => (
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
