/**
 * The host page's API (issue 20 §3): the global `Madoguchi`, usable before widget.js arrives.
 * The page's stub (README "Host-page API") queues calls as [name, args] in `Madoguchi.q`; the
 * loader replaces the stub's methods with these and replays the queue in order.
 */
import type { FieldPreset, HostEvent } from '../host-types.js';
import type { WidgetIdentity } from '../options.js';

export interface HostApi {
  open(): void;
  close(): void;
  toggle(): void;
  setLanguage(lang: string): void;
  identify(identity: Partial<WidgetIdentity>): void;
  on(event: HostEvent, cb: (detail: unknown) => void): void;
  off(event: HostEvent, cb: (detail: unknown) => void): void;
  setFields(fields: Record<string, string | FieldPreset>): void;
  shutdown(): void;
  consent(granted: boolean): void;
}

const EVENTS: readonly HostEvent[] = ['unread', 'state', 'open', 'close', 'chat-ended'];
/** `{ name: 'Yuki', email: { value: 'y@x', hidden: true } }` → presets; anything else is dropped. */
export function cleanPresets(fields: Record<string, unknown> | undefined): Record<string, FieldPreset> {
  const out: Record<string, FieldPreset> = {};
  for (const [name, v] of Object.entries(fields ?? {})) {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) continue;
    if (typeof v === 'string') out[name] = { value: v.slice(0, 1000) };
    else if (v && typeof v === 'object') {
      const p = v as { value?: unknown; hidden?: unknown };
      out[name] = {
        ...(typeof p.value === 'string' ? { value: p.value.slice(0, 1000) } : {}),
        ...(p.hidden === true ? { hidden: true } : {}),
      };
    }
  }
  return out;
}

export function createEvents() {
  const listeners = new Map<HostEvent, Set<(detail: unknown) => void>>();
  return {
    on(event: HostEvent, cb: (detail: unknown) => void): void {
      if (!EVENTS.includes(event) || typeof cb !== 'function') return;
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb);
    },
    off: (event: HostEvent, cb: (detail: unknown) => void) => void listeners.get(event)?.delete(cb),
    emit(event: HostEvent, detail: unknown): void {
      for (const cb of listeners.get(event) ?? []) {
        try {
          cb(detail);
        } catch (err) {
          setTimeout(() => {
            throw err; // the page's bug, reported as its own, never breaking the widget
          });
        }
      }
    },
  };
}

type Stub = Partial<HostApi> & { q?: [string, unknown[]][] };

/** Installs `api` as window.Madoguchi and replays what the stub queued. */
export function installHostApi(api: HostApi): void {
  const w = globalThis as unknown as { Madoguchi?: Stub };
  const queued = Array.isArray(w.Madoguchi?.q) ? w.Madoguchi.q : [];
  w.Madoguchi = api;
  for (const [name, args] of queued) {
    const fn = (api as unknown as Record<string, ((...a: unknown[]) => void) | undefined>)[name];
    if (typeof fn === 'function') fn(...(Array.isArray(args) ? args : []));
  }
}
