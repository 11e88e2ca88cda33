/**
 * This visit's page views across the site's pages (sessionStorage: one tab's visit), sent with
 * the join (at most 50, oldest first) and, during a live chat, each new one as <page/>.
 * References: docs/widget-protocol.md §2 and §5.
 */
import { readJson, writeJson, type KeyValue } from './storage.js';

export interface PageView {
  url: string;
  title: string;
  /** ISO 8601 UTC. */
  at: string;
}

export const PAGE_VIEWS_KEY = 'mdg:pages';
export const MAX_PAGE_VIEWS = 50;
const MAX_FIELD = 1000;

export function createPageViews(store: KeyValue) {
  const list = (): PageView[] => readJson<PageView[]>(store, PAGE_VIEWS_KEY, []).filter((p) => typeof p?.url === 'string');
  return {
    list,
    /** Records a view; a reload of the page just viewed is not a new view. Returns whether it was new. */
    record(view: PageView): boolean {
      const views = list();
      const clean = { url: view.url.slice(0, MAX_FIELD), title: view.title.slice(0, MAX_FIELD), at: view.at };
      if (views[views.length - 1]?.url === clean.url) return false;
      writeJson(store, PAGE_VIEWS_KEY, [...views, clean].slice(-MAX_PAGE_VIEWS));
      return true;
    },
  };
}
