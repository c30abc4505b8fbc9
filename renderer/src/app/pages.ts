import type { ComponentType } from 'react';
import { OverviewPage } from '../pages/OverviewPage';
import { AlertsPage } from '../pages/alerts/AlertsPage';
import { ChaosPage } from '../pages/chaos/ChaosPage';
import { RegressionPage } from '../pages/regression/RegressionPage';
import { LimitersPage } from '../pages/concurrency/LimitersPage';
import { SemaphoresPage } from '../pages/concurrency/SemaphoresPage';
import { DoctorPage } from '../pages/db/DoctorPage';
import { PoolPage } from '../pages/db/PoolPage';
import { HistoryPage } from '../pages/stress/HistoryPage';
import { StressPage } from '../pages/stress/StressPage';
import { SettingsPage } from '../pages/settings/SettingsPage';

export interface PageEntry {
  /** Hash route, e.g. `overview` for `#/overview`. */
  readonly path: string;
  readonly title: string;
  /** One line shown under the title in the navigation. */
  readonly hint: string;
  readonly component: ComponentType;
}

/** The panel's pages in navigation order. A feature adds its page here. */
export const pages: readonly PageEntry[] = [
  { path: 'overview', title: 'Overview', hint: 'runtime, live', component: OverviewPage },
  { path: 'stress', title: 'Stress', hint: 'run a load profile, live', component: StressPage },
  { path: 'history', title: 'History', hint: 'runs, verdicts, A/B compare', component: HistoryPage },
  { path: 'regression', title: 'Regression', hint: 'baselines, gate with confidence', component: RegressionPage },
  { path: 'semaphores', title: 'Semaphores', hint: 'permits, waits, long holders', component: SemaphoresPage },
  { path: 'limiters', title: 'Limiters', hint: 'tokens, 429s, pauses', component: LimitersPage },
  { path: 'pool', title: 'Pool', hint: 'RAG database connections, live', component: PoolPage },
  { path: 'doctor', title: 'Doctor', hint: 'diagnose the RAG connection', component: DoctorPage },
  { path: 'chaos', title: 'Chaos', hint: 'fault proxies and toxics', component: ChaosPage },
  { path: 'alerts', title: 'Alerts', hint: 'firing now, rules, history', component: AlertsPage },
  { path: 'settings', title: 'Settings', hint: 'provider keys, data dir', component: SettingsPage },
];
