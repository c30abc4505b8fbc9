import { useEffect, useRef, type RefObject } from 'react';

/**
 * Keyboard and screen-reader care for a single-page app: each page sets its own document title
 * ("Stress — Bulkhead"), and after a navigation focus moves to the new page's heading, so the next Tab
 * goes into the page instead of along the navigation again. The first page of a load keeps the browser's
 * own focus (the skip link is the first Tab stop there).
 */
export function usePageFocus(path: string, title: string): RefObject<HTMLElement | null> {
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(() => {
    document.title = `${title} — Bulkhead`;
  }, [title]);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    focusHeading(main.current);
  }, [path]);

  return main;
}

/** Focuses the page's h1 (PageHeader makes it focusable by script, not by Tab); the main element otherwise. */
export function focusHeading(main: HTMLElement | null): void {
  const heading = main?.querySelector<HTMLElement>('h1');
  (heading ?? main)?.focus();
}
