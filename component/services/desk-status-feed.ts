/**
 * The desk's state for watchers without XMPP (the widget's loader on GET /api/status/stream,
 * issue 20). One source: it is fed the very DeskState the desk's presence publishes
 * (desk-presence.ts), so the stream changes when the presence does; and, while anyone watches,
 * it re-reads each desk's snapshot every `pollMs`, which catches changes published by another
 * instance and the business-hours flips whose timer runs elsewhere (DESIGN §6: one runner).
 * A watcher hears a desk only when what its button shows changed (the presence's own rule).
 */
import { sameDeskPresence, type DeskState } from '../../src/desk-state.js';
import type { ServiceContext } from './context.js';
import { readDeskSnapshot } from './desk-snapshot.js';

/** One desk as GET /api/status lists it. */
export type DeskStatusView = DeskState & { name: string; jid: string };
export type DeskStatusListener = (view: DeskStatusView) => void;

export function createDeskStatusFeed(ctx: ServiceContext<'queue' | 'hours'>, pollMs = 1000) {
  const { directory } = ctx;
  const last = new Map<string, DeskState>();
  const watchers = new Map<string, Set<DeskStatusListener>>();
  let timer: ReturnType<typeof setInterval> | undefined;

  const view = (state: DeskState): DeskStatusView => ({
    ...state,
    name: directory.desk(state.desk)?.name ?? state.desk,
    jid: directory.deskJid(state.desk),
  });

  function offer(state: DeskState): void {
    const before = last.get(state.desk);
    last.set(state.desk, state);
    if (sameDeskPresence(before, state)) return;
    for (const listener of watchers.get(state.desk) ?? []) listener(view(state));
  }

  async function poll(): Promise<void> {
    await Promise.all(
      [...watchers.keys()].map(async (desk) => {
        try {
          offer((await readDeskSnapshot(ctx, desk)).state);
        } catch (err) {
          ctx.log.debug({ desk, err: (err as Error).message }, 'status feed: snapshot not read');
        }
      }),
    );
  }

  return {
    /** The state the desk's presence was just computed from (desk-presence.ts). */
    offer,
    /** True for a configured desk. */
    has: (desk: string) => directory.desk(desk) !== undefined,
    /** The desk's state now (a fresh snapshot, shared with concurrent readers). */
    async current(desk: string): Promise<DeskStatusView> {
      const state = (await readDeskSnapshot(ctx, desk)).state;
      if (!last.has(desk)) last.set(desk, state);
      return view(state);
    },
    /** Calls `listener` on every change of the desk's state until the returned function is called. */
    watch(desk: string, listener: DeskStatusListener): () => void {
      let set = watchers.get(desk);
      if (!set) watchers.set(desk, (set = new Set()));
      set.add(listener);
      if (!timer && pollMs > 0) {
        timer = setInterval(() => void poll(), pollMs);
        timer.unref?.();
      }
      return () => {
        set.delete(listener);
        if (set.size === 0) watchers.delete(desk);
        if (watchers.size === 0 && timer) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
    /** How many listeners watch, over all desks (for the bench). */
    watching: () => [...watchers.values()].reduce((n, s) => n + s.size, 0),
    stop(): void {
      if (timer) clearInterval(timer);
      timer = undefined;
      watchers.clear();
    },
  };
}
export type DeskStatusFeed = ReturnType<typeof createDeskStatusFeed>;
