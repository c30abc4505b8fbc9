import { AlertToasts } from '../components/AlertToasts';
import { useCall } from '../hooks/use-call';
import { useConnectionState } from '../hooks/bridge-context';
import { pages } from './pages';
import { useHashRoute } from './use-hash-route';
import { focusHeading, usePageFocus } from './use-page-focus';

export function App() {
  const { path } = useHashRoute();
  const page = pages.find((entry) => entry.path === path) ?? pages[0]!;
  const Page = page.component;
  const connection = useConnectionState();
  const info = useCall('app.info', {}, connection);
  const main = usePageFocus(page.path, page.title);

  return (
    <div className="shell">
      {/* Not href="#…": the hash is the route. */}
      <a
        className="skip-link"
        href={`#/${page.path}`}
        onClick={(event) => {
          event.preventDefault();
          focusHeading(main.current);
        }}
        data-testid="skip-link"
      >
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Pages">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <div>
            <div className="brand-name">Bulkhead</div>
            <div className="brand-tag">concurrency control panel</div>
          </div>
        </div>
        <ul>
          {pages.map((entry) => (
            <li key={entry.path}>
              <a href={`#/${entry.path}`} className={entry === page ? 'active' : undefined} aria-current={entry === page ? 'page' : undefined}>
                <span className="nav-title">{entry.title}</span>
                <span className="nav-hint">{entry.hint}</span>
              </a>
            </li>
          ))}
        </ul>
        <footer className="sidebar-footer">
          <div className={`conn conn-${connection}`} data-testid="connection-state">
            <span className="conn-dot" aria-hidden="true" />
            {connection === 'open' ? 'connected' : connection}
          </div>
          {info.data ? (
            <div className="sidebar-meta" title={info.data.dataDir}>
              v{info.data.version} · {info.data.transport === 'ipc' ? 'desktop' : 'browser host'} · pid {info.data.pid}
            </div>
          ) : null}
        </footer>
      </nav>
      <main className="content" id="content" ref={main} tabIndex={-1}>
        {connection === 'reconnecting' ? (
          <div className="notice notice-warn" role="status">Lost the connection to Bulkhead; reconnecting…</div>
        ) : null}
        {connection === 'signed-out' ? (
          <div className="notice notice-bad" role="alert" data-testid="signed-out">
            <strong>Bulkhead no longer accepts this tab’s session (it was restarted).</strong>
            <div className="notice-remedy">
              Run <code>npx bulkhead open</code> in the Bulkhead folder (with <code>--data-dir</code> if you started it with one) and open the new link.
            </div>
          </div>
        ) : null}
        <Page key={page.path} />
      </main>
      <AlertToasts />
    </div>
  );
}
