import { useEffect, useState } from 'react';

/** `#/semaphores?name=x` → { path: 'semaphores', query: URLSearchParams }. Hash routing works under app:// too. */
export function useHashRoute(): { path: string; query: URLSearchParams } {
  const read = () => parseHash(window.location.hash);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function parseHash(hash: string): { path: string; query: URLSearchParams } {
  const raw = hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = raw.split('?');
  return { path, query: new URLSearchParams(query) };
}
