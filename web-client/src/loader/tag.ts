/**
 * What widget.js (the entry) hands the loader it adds (issue 20 §1 "Caching"): the site's own
 * tag, whose data-* attributes and src configure the widget. A page may also hold a loader
 * directly (a widget.js from before the entry existed, cached): then the loader's own tag is it.
 */
export const TAG_KEY = 'madoguchiTag';
export type TaggedScript = HTMLScriptElement & { [TAG_KEY]?: HTMLScriptElement | null };

/** The host API's methods, queued by the stub until the loader replays them (README "Host-page API"). */
export const HOST_CALLS = ['open', 'close', 'toggle', 'setLanguage', 'identify', 'on', 'off', 'setFields', 'shutdown', 'consent'] as const;

/** The site's tag: the one widget.js handed over, else the running script itself. */
export function siteTag(): HTMLScriptElement | null {
  const current = document.currentScript as TaggedScript | null;
  if (!(current instanceof HTMLScriptElement)) return null;
  return TAG_KEY in current ? (current[TAG_KEY] ?? null) : current;
}
