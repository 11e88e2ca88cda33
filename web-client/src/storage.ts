/**
 * Web Storage behind a small interface, so pure modules take any key-value store (tests pass a
 * Map) and a browser that refuses storage (privacy modes, sandboxed iframes) still works, in memory.
 */
export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function memoryStorage(): KeyValue {
  const map = new Map<string, string>();
  return {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

/** `localStorage` or `sessionStorage` when usable, else memory. */
export function safeStorage(get: () => KeyValue): KeyValue {
  try {
    const s = get();
    s.setItem('mdg:probe', '1');
    s.removeItem('mdg:probe');
    return s;
  } catch {
    return memoryStorage();
  }
}

export function readJson<T>(store: KeyValue, key: string, fallback: T): T {
  try {
    const raw = store.getItem(key);
    return raw === null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback;
  }
}

export function writeJson(store: KeyValue, key: string, value: unknown): void {
  try {
    store.setItem(key, JSON.stringify(value));
  } catch {
    /* quota: the widget keeps working from memory */
  }
}
