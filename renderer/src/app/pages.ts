import type { ComponentType } from 'react';
import { OverviewPage } from '../pages/OverviewPage';

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
];
