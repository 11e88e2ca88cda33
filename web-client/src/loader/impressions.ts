/**
 * How often the button was shown per state and how many visitors opened the panel (issue 20,
 * contract 7), counted here and sent in batches that never block the page: navigator.sendBeacon
 * with a text/plain body (no CORS preflight, no cookies), when the page is hidden or left and at
 * most every 30 s. POST /api/widget/impressions takes
 * {"desk":"support","shown":{"open":2,"busy":0,"closed":1},"opened":1}.
 */
type Mode = 'open' | 'busy' | 'closed';

const FLUSH_MS = 30_000;

export function createImpressions(portal: string, desk: string) {
  let shown: Record<Mode, number> = { open: 0, busy: 0, closed: 0 };
  let opened = 0;
  let lastShown: Mode | undefined;
  let openedHere = false;

  function flush(): void {
    if (!opened && !shown.open && !shown.busy && !shown.closed) return;
    const body = JSON.stringify({ desk, shown, opened });
    shown = { open: 0, busy: 0, closed: 0 };
    opened = 0;
    try {
      const url = `${portal}/api/widget/impressions`;
      if (!navigator.sendBeacon?.(url, body)) {
        void fetch(url, { method: 'POST', body, keepalive: true, mode: 'no-cors', headers: { 'Content-Type': 'text/plain' } }).catch(
          () => undefined,
        );
      }
    } catch {
      /* counting must never break the page */
    }
  }
  setInterval(flush, FLUSH_MS);
  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush();
  });

  return {
    /** The button now shows `mode`: counted once per change of state. */
    shown(mode: Mode): void {
      if (mode === lastShown) return;
      lastShown = mode;
      shown[mode] += 1;
    },
    /** The visitor opened the panel: counted once per page view. */
    opened(): void {
      if (openedHere) return;
      openedHere = true;
      opened += 1;
    },
    flush,
  };
}
