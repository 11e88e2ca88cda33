/**
 * The widget's state and how the desk's notices change it. Pure (no DOM, no XMPP), so the
 * view only renders and the connection only reports.
 */
import type { DeskNotice, DeskStatus, WaitMinutes } from './desk-text.js';
import type { Strings } from './i18n.js';

export type Phase = 'idle' | 'joining' | 'waiting' | 'chatting' | 'ended';

export interface ChatLine {
  id: number;
  from: 'me' | 'operator' | 'system';
  author?: string;
  text: string;
}

export interface WidgetState {
  online: boolean;
  desk: DeskStatus | undefined;
  panelOpen: boolean;
  phase: Phase;
  ticket?: number;
  position?: number;
  minutes?: WaitMinutes;
  operator?: string;
  operatorTyping: boolean;
  lines: ChatLine[];
}

type Listener = (state: WidgetState) => void;

export function createWidgetStore(strings: Strings) {
  let state: WidgetState = { online: false, desk: undefined, panelOpen: false, phase: 'idle', operatorTyping: false, lines: [] };
  let nextLine = 1;
  const listeners = new Set<Listener>();

  const set = (patch: Partial<WidgetState>) => {
    state = { ...state, ...patch };
    for (const l of listeners) l(state);
  };
  const withLine = (from: ChatLine['from'], text: string, author?: string): ChatLine[] =>
    [...state.lines, { id: nextLine++, from, text, ...(author ? { author } : {}) }];
  const system = (text: string, patch: Partial<WidgetState> = {}) => set({ ...patch, lines: withLine('system', text) });
  const active = () => state.phase === 'joining' || state.phase === 'waiting' || state.phase === 'chatting';

  return {
    get: () => state,
    subscribe(listener: Listener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set,
    /** The customer sent a message (the first one starts the chat). */
    sent(text: string): void {
      set({ lines: withLine('me', text), ...(state.phase === 'idle' || state.phase === 'ended' ? { phase: 'joining' as const } : {}) });
    },
    operatorSaid(operator: string, text: string): void {
      set({ lines: withLine('operator', text, operator), operator, operatorTyping: false, ...(active() ? { phase: 'chatting' as const } : {}) });
    },
    deskSaid(text: string): void {
      system(text);
    },
    notice(n: DeskNotice): void {
      switch (n.kind) {
        case 'queued':
        case 'position':
          // A position update after an operator joined is stale (coalesced on the desk's side).
          if (state.phase === 'chatting' && n.kind === 'position') return;
          return set({ phase: 'waiting', ticket: n.ticket, position: n.position, minutes: n.minutes });
        case 'joined':
          return system(strings.joined(n.operator), { phase: 'chatting', operator: n.operator, operatorTyping: false });
        case 'taken-over':
          return system(strings.takenOver(n.operator, n.previous), { phase: 'chatting', operator: n.operator, operatorTyping: false });
        case 'requeued':
          return system(strings.requeued(n.ticket), { phase: 'waiting', ticket: n.ticket, position: 1, operatorTyping: false });
        case 'transferred':
          return system(strings.transferred(n.desk), { phase: 'waiting', position: 1, operatorTyping: false });
        case 'ended':
          return system(strings.ended, { phase: 'ended', operatorTyping: false });
        case 'refused':
          return system(strings.refused, { phase: 'ended', operatorTyping: false });
      }
    },
    /** A new XMPP session means a new anonymous JID: an open chat cannot continue. */
    reconnected(): void {
      if (active()) system(strings.connectionLost, { phase: 'ended', operatorTyping: false });
    },
    /** The customer ended the chat. */
    left(): void {
      if (active()) system(strings.ended, { phase: 'ended', operatorTyping: false });
    },
    newChat(): void {
      set({ phase: 'idle', lines: [], operatorTyping: false, ticket: undefined, position: undefined, minutes: undefined, operator: undefined });
    },
    isActive: active,
  };
}
export type WidgetStore = ReturnType<typeof createWidgetStore>;
