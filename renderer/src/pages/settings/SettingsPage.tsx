import { ErrorNotice } from '../../components/ErrorNotice';
import { PageHeader } from '../../components/PageHeader';
import { useCall } from '../../hooks/use-call';
import { AttachCard } from '../attach/AttachCard';
import { ProviderKeyRow } from './ProviderKeysCard';
import './settings.css';

/** Provider keys (kept in the OS keychain on the desktop, a 0600 file in host mode) and where things live. */
export function SettingsPage() {
  const secrets = useCall('secrets.list', {});
  const info = useCall('app.info', {});
  const ready = secrets.data !== null && info.data !== null;

  return (
    <section className="page" data-page="settings" data-ready={ready ? 'true' : undefined}>
      <PageHeader
        title="Settings"
        subtitle="Stress runs use the built-in provider simulator unless you pick OpenAI or Anthropic; those need a key. Keys are stored encrypted with the OS keychain in the desktop app (a 0600 file in host mode), never logged, and only ever shown masked."
      />
      {secrets.error ? <ErrorNotice error={secrets.error} /> : null}
      <div className="card">
        <h2>Provider API keys</h2>
        <p className="muted">
          Order of precedence: the environment variable, then the key saved here. Each key is sent only to the origin it is
          bound to — the provider's official API, the base URL you bind it to when saving it here, or for an environment key
          its <code>OPENAI_BASE_URL</code> / <code>ANTHROPIC_BASE_URL</code>. A run that names another URL is refused.
        </p>
        {secrets.data?.secrets.map((entry) => <ProviderKeyRow key={entry.name} entry={entry} onChanged={secrets.reload} />)}
        {secrets.data ? (
          <p className="muted secret-storage">
            Stored in <code>{secrets.data.storage.location}</code> ({secrets.data.storage.codec === 'plain' ? 'file readable by your user only' : secrets.data.storage.codec})
          </p>
        ) : null}
      </div>
      <AttachCard />
      {info.data ? (
        <div className="card">
          <h2>This Bulkhead</h2>
          <dl className="facts">
            <dt>version</dt>
            <dd>{info.data.version}</dd>
            <dt>running as</dt>
            <dd>{info.data.transport === 'ipc' ? 'desktop app' : 'browser host (127.0.0.1; this tab’s own session)'}</dd>
            <dt>data dir</dt>
            <dd><code>{info.data.dataDir}</code></dd>
            <dt>process</dt>
            <dd>pid {info.data.pid} · Node {info.data.nodeVersion} · {info.data.platform}</dd>
            <dt>sampling</dt>
            <dd>every {info.data.sampleIntervalMs} ms</dd>
          </dl>
        </div>
      ) : null}
    </section>
  );
}
