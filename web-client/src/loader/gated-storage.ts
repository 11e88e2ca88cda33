/**
 * Consent first (issue 20 §2): a stand-in for localStorage or sessionStorage that writes nothing
 * until allowed. Held writes (and removals) live in memory, so the widget works the same; reads
 * see them first, then the real storage (reading stores nothing). `allow()` writes the held
 * changes through and passes every later write on; `deny()` (consent withdrawn) keeps the
 * widget's keys in memory and removes them from the real storage.
 */
import type { KeyValue } from '../storage.js';

/** What this needs of the Web Storage API. */
export interface WebStorage extends KeyValue {
  readonly length: number;
  key(index: number): string | null;
}

export const WIDGET_KEY_PREFIX = 'mdg:';

export interface GatedStorage extends KeyValue {
  allow(): void;
  deny(): void;
  allowed(): boolean;
  /**
   * Removes every widget key, held or stored (Madoguchi.shutdown()), and retires this gate: the
   * chat being unmounted may still save its state on the way out, and must not bring a key back.
   */
  forget(): void;
}

function usable(get: () => WebStorage): WebStorage | undefined {
  try {
    return get();
  } catch {
    return undefined; // sandboxed iframes, privacy modes: memory only
  }
}

const widgetKeys = (s: WebStorage): string[] => {
  const keys: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const k = s.key(i);
    if (k?.startsWith(WIDGET_KEY_PREFIX)) keys.push(k);
  }
  return keys;
};

export function createGatedStorage(get: () => WebStorage, open = false): GatedStorage {
  const real = usable(get);
  /** null = removed while held. */
  const held = new Map<string, string | null>();
  let passing = open;
  let retired = false;

  const attempt = (fn: () => void) => {
    try {
      fn();
    } catch {
      /* quota or a refusing browser: the value stays in memory */
    }
  };
  return {
    getItem(key) {
      if (held.has(key)) return held.get(key) ?? null;
      try {
        return real?.getItem(key) ?? null;
      } catch {
        return null;
      }
    },
    setItem(key, value) {
      if (retired) return;
      if (!passing || !real) return void held.set(key, value);
      attempt(() => real.setItem(key, value));
    },
    removeItem(key) {
      if (retired) return;
      if (!passing || !real) return void held.set(key, null);
      attempt(() => real.removeItem(key));
    },
    allow() {
      if (passing) return;
      passing = true;
      if (!real) return;
      for (const [k, v] of held) attempt(() => (v === null ? real.removeItem(k) : real.setItem(k, v)));
      held.clear();
    },
    deny() {
      passing = false;
      if (!real) return;
      for (const k of widgetKeys(real)) {
        if (!held.has(k)) held.set(k, real.getItem(k));
        attempt(() => real.removeItem(k));
      }
    },
    allowed: () => passing,
    forget() {
      retired = true;
      held.clear();
      if (real) for (const k of widgetKeys(real)) attempt(() => real.removeItem(k));
    },
  };
}
