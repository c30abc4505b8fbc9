import { ErrorNotice } from '../../components/ErrorNotice';
import { PageHeader } from '../../components/PageHeader';
import { RunCharts } from './RunCharts';
import { RunProgressCard } from './RunProgressCard';
import { RunResultCard } from './RunResultCard';
import { RunSetupForm } from './RunSetupForm';
import { useStressPage } from './use-stress-page';

/** Start a stress run, watch it live (progress, rate, latency, errors, connections, waits), read the verdict. */
export function StressPage() {
  const page = useStressPage();
  const { progress, finished, running, series } = page;

  return (
    <section className="page" data-page="stress" data-ready={page.ready ? 'true' : undefined} data-running={running ? 'true' : undefined}>
      <PageHeader
        title="Stress"
        subtitle="Open-model load on the agent stack: requests arrive on the profile's schedule whether or not earlier ones answered, and latency counts from when each should have started. Run the same profile governed and unbounded to see what the bounds buy."
        actions={
          running ? (
            <button type="button" className="danger" onClick={page.stop} data-testid="stop-run">
              Stop run
            </button>
          ) : null
        }
      />
      {page.error ? <ErrorNotice error={page.error} /> : null}
      {page.profiles && page.setup && !running ? (
        <RunSetupForm profiles={page.profiles} setup={page.setup} onSetupChange={page.setSetup} busy={page.starting} serverErrors={page.serverErrors} onStart={page.start} />
      ) : null}
      {progress ? <RunProgressCard progress={progress} /> : null}
      {finished ? <RunResultCard record={finished} /> : null}
      {progress || finished ? <RunCharts store={series.store} version={series.version} testIdPrefix="live" isTarget={Boolean(progress?.target ?? finished?.config.profile.target)} /> : null}
    </section>
  );
}
