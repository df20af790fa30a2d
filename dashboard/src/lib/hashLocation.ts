import { useSyncExternalStore } from 'react';

/**
 * Hash routing whose query lives in the hash too: `#/overview/province:01?period=last7&kpi=onTime`.
 * The server serves one page, so the whole view (path and its parameters) has to
 * travel in the fragment for a bookmark, a shared link or Back to reopen it. wouter's
 * own hash hook would move the query before the `#`, where it is not part of the view.
 */

/** `#/overview?period=last7` → `["/overview", "period=last7"]`; `""` → `["/", ""]`. */
export function splitHash(hash: string): [path: string, search: string] {
  const h = hash.replace(/^#?\/?/, '');
  const i = h.indexOf('?');
  return i < 0 ? [`/${h}`, ''] : [`/${h.slice(0, i)}`, h.slice(i + 1)];
}

let listeners: (() => void)[] = [];
const notify = () => listeners.forEach((l) => l());

function subscribe(listener: () => void): () => void {
  if (listeners.push(listener) === 1) addEventListener('hashchange', notify);
  return () => {
    listeners = listeners.filter((l) => l !== listener);
    if (listeners.length === 0) removeEventListener('hashchange', notify);
  };
}

const currentPath = () => splitHash(location.hash)[0];
const currentSearch = () => splitHash(location.hash)[1];

/** Goes to `to` (`/overview?period=last7`): a new history entry, or in place of the current one with `replace`. */
export function navigate(to: string, options: { replace?: boolean; state?: unknown } = {}): void {
  const oldURL = location.href;
  const url = new URL(oldURL);
  url.hash = `/${to.replace(/^#?\/?/, '')}`;
  if (url.href === oldURL) return;
  history[options.replace ? 'replaceState' : 'pushState'](options.state ?? null, '', url.href);
  dispatchEvent(new HashChangeEvent('hashchange', { oldURL, newURL: url.href }));
}

/** wouter's location hook: the path part of the hash. */
export function useHashPath(): [string, typeof navigate] {
  return [useSyncExternalStore(subscribe, currentPath, () => '/'), navigate];
}
useHashPath.hrefs = (href: string) => `#${href}`;

/** wouter's search hook: the query part of the hash, without its `?`. */
export function useHashSearch(): string {
  return useSyncExternalStore(subscribe, currentSearch, () => '');
}
