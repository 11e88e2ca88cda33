/**
 * The desk's live state for the button without XMPP (issue 20 §1): Server-Sent Events from
 * GET /api/status/stream (EventSource reconnects by itself after a portal restart), and polling
 * GET /api/status when the stream cannot be had (no EventSource, or the portal refused it).
 */
import { deskStateOf, type DeskPresenceState, type DeskStatusJson } from '../desk-presence.js';

/**
 * Polling is the fallback (a browser without EventSource, a proxy that ends streams): every 5 s,
 * so the button is at most 5 s behind a presence change there (the stream's is under 1 s). One
 * small no-store GET per page per 5 s costs the portal little for the few pages that need it;
 * 15 s showed "open" for too long after the last operator left.
 */
const POLL_MS = 5_000;

export function watchDeskStatus(portal: string, desk: string, onState: (s: DeskPresenceState) => void) {
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const take = (j: DeskStatusJson) => {
    const s = deskStateOf(j);
    if (s && !stopped) onState(s);
  };

  async function poll(): Promise<void> {
    try {
      const res = await fetch(`${portal}/api/status`, { cache: 'no-store' });
      const body = (await res.json()) as { desks?: DeskStatusJson[] };
      const mine = body.desks?.find((d) => d.desk === desk);
      if (mine) take(mine);
    } catch {
      /* the portal is away: try again later */
    }
    if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
  }

  if (typeof EventSource === 'function') {
    source = new EventSource(`${portal}/api/status/stream?desk=${encodeURIComponent(desk)}`);
    source.onmessage = (ev) => {
      try {
        take(JSON.parse(String(ev.data)) as DeskStatusJson);
      } catch {
        /* not ours */
      }
    };
    // CLOSED after an error: the portal answered with an error status or no event stream (an
    // older portal, a proxy): EventSource gives up, so poll instead.
    source.onerror = () => {
      if (source?.readyState === EventSource.CLOSED && !timer && !stopped) void poll();
    };
  } else void poll();

  return {
    stop(): void {
      stopped = true;
      source?.close();
      if (timer) clearTimeout(timer);
    },
  };
}
