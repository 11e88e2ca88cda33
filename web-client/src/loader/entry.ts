/**
 * widget.js, the tiny entry (issue 20 §1 "Caching"): the one file with a fixed name, so the only
 * one cached briefly. It loads the content-hashed loader it was built with (loader-<hash>.js,
 * cached a year) from beside itself, handing it the site's tag: in the loaded script
 * document.currentScript is the element added here, so the loader reads the tag's data-* and
 * src from `madoguchiTag` (tag.ts). It installs the host API's queue stub when the page has
 * none, so calls made before the loader runs are queued and replayed (host-api.ts), as when
 * widget.js was the loader itself. A loader gone after many releases: widget-manifest.json names
 * the current one.
 */
import { HOST_CALLS, TAG_KEY, type TaggedScript } from './tag.js';

declare const __MDG_LOADER__: string;

const tag = document.currentScript as HTMLScriptElement | null;
const base = tag?.src || location.href;
type Stub = Record<string, unknown> & { q?: unknown[][]; loader?: boolean };
const w = window as unknown as { Madoguchi?: Stub };
const api = (w.Madoguchi ??= {});
if (!api.loader) {
  const q = (api.q ??= []);
  for (const n of HOST_CALLS) api[n] ??= (...a: unknown[]) => void q.push([n, a]);
}

const load = (name: string, onError?: () => void) => {
  const s = document.createElement('script') as TaggedScript;
  s.src = new URL(name, base).href;
  s.async = true;
  s[TAG_KEY] = tag;
  if (onError) s.onerror = onError;
  document.head.append(s);
};
load(
  __MDG_LOADER__,
  () =>
    void fetch(new URL('widget-manifest.json', base).href, { cache: 'no-cache' })
      .then((r) => r.json())
      .then((m: { loader?: unknown }) => typeof m.loader === 'string' && /^loader-\w+\.js$/.test(m.loader) && load(m.loader)),
);
