/**
 * The widget's state and how the desk's <status/> pushes, acks, receipts and messages change
 * it. Pure (no DOM, no XMPP): the connection reports, this store decides, the views render.
 * Lines are keyed by message id (origin-id for the customer's, stanza id for the operator's),
 * so history from storage, live messages and the transcript merge without duplicates.
 */
import type { DeskPresenceState } from './desk-presence.js';
import type { Strings } from './i18n.js';
import type { DeskStatus } from './protocol/index.js';

export type Phase = 'idle' | 'joining' | 'waiting' | 'chatting' | 'ended' | 'left-message';
/**
 * The customer's own messages: pending until the desk's <ack/>, then XEP-0184/0333 marks;
 * `unsent`: no ack after every resend (resender.ts), offered for retry; `failed`: refused.
 */
export type Mark = 'pending' | 'sent' | 'delivered' | 'read' | 'failed' | 'unsent';
const MARK_ORDER: Mark[] = ['pending', 'sent', 'delivered', 'read'];

export interface ChatLine {
  id: string;
  from: 'me' | 'operator' | 'system';
  author?: string;
  text: string;
  /** Milliseconds since the epoch. */
  at: number;
  mark?: Mark;
  /** A shared file's URL (XEP-0066 / XEP-0363). */
  file?: string;
  /** The operator asked for chat markers (XEP-0333 markable). */
  markable?: boolean;
}

export interface WidgetState {
  online: boolean;
  desk: DeskPresenceState | undefined;
  panelOpen: boolean;
  phase: Phase;
  ticket?: number;
  position?: number;
  /** Estimated wait in seconds; null = no operator online (the desk did not estimate). */
  waitSeconds?: number | null;
  operator?: string;
  operatorTyping: boolean;
  lines: ChatLine[];
  offlineTicket?: number;
  /** The customer gave an email address in the form (the chat's end offers the transcript by mail). */
  emailGiven?: boolean;
  /** The score sent for the ended chat. */
  rated?: number;
  uploading: boolean;
  /** Operators' answers to messages left earlier (shown once, then remembered as seen). */
  replies: { ticket?: number; operator?: string; text: string }[];
  /** The desk's verdict on the identity the site gave (issue 20); absent without one. */
  identity?: 'verified' | 'unverified';
  /** The name (or email) the site gave, for greeting a verified customer. */
  signedInAs?: string;
}

/** A verified customer skips the pre-chat form (issue 20): the composer starts the chat, unless the desk is closed. */
export const skipsForm = (s: WidgetState): boolean => s.phase === 'idle' && s.identity === 'verified' && s.desk?.mode !== 'closed';

/** What survives a page change (localStorage). */
export type SavedChat = Pick<WidgetState, 'phase' | 'ticket' | 'position' | 'waitSeconds' | 'operator' | 'lines' | 'rated' | 'emailGiven'>;
const MAX_LINES = 300;

type Listener = (state: WidgetState) => void;
const LIVE: readonly Phase[] = ['joining', 'waiting', 'chatting'];

export function createWidgetStore(strings: Strings, now: () => number = Date.now) {
  let state: WidgetState = {
    online: false,
    desk: undefined,
    panelOpen: false,
    phase: 'idle',
    operatorTyping: false,
    lines: [],
    uploading: false,
    replies: [],
  };
  let systemIds = 0;
  const listeners = new Set<Listener>();

  const set = (patch: Partial<WidgetState>) => {
    state = { ...state, ...patch };
    for (const l of listeners) l(state);
  };
  const addLines = (lines: ChatLine[], patch: Partial<WidgetState> = {}) => {
    const known = new Set(state.lines.map((l) => l.id));
    const fresh = lines.filter((l) => !known.has(l.id));
    set({ ...patch, lines: fresh.length ? [...state.lines, ...fresh].slice(-MAX_LINES) : state.lines });
  };
  const system = (text: string, patch: Partial<WidgetState> = {}) =>
    addLines([{ id: `sys-${now()}-${systemIds++}`, from: 'system', text, at: now() }], patch);
  const live = () => LIVE.includes(state.phase);

  function endedText(s: DeskStatus): string {
    if (s.reason === 'banned') return strings.refused;
    if (s.reason === 'timeout') return strings.connectionLost;
    if (s.reason === 'closed') return strings.closedAtClosing;
    if (s.reason === 'operator' && state.operator) return strings.endedBy(state.operator);
    return strings.ended;
  }

  return {
    get: () => state,
    subscribe(listener: Listener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set,
    isLive: live,
    /** A <status/> from the desk: a push, a join result or the session's live ticket. */
    status(s: DeskStatus): void {
      if (s.state === 'ended') {
        if (state.phase === 'ended' || (s.ticket !== undefined && state.ticket !== undefined && s.ticket !== state.ticket)) return;
        return system(endedText(s), { phase: 'ended', operatorTyping: false, ticket: s.ticket ?? state.ticket });
      }
      // A push about a ticket that already ended here is stale.
      if (state.phase === 'ended' && s.ticket === state.ticket) return;
      if (s.state === 'waiting') {
        const patch = {
          phase: 'waiting' as const,
          ticket: s.ticket,
          position: s.position,
          waitSeconds: s.wait ?? null,
          operatorTyping: false,
        };
        if (state.phase === 'chatting' && state.ticket === s.ticket) return system(strings.requeued(s.ticket ?? 0), patch);
        return set(patch);
      }
      if (s.state === 'active') {
        const operator = s.operator ?? state.operator;
        const patch = { phase: 'chatting' as const, ticket: s.ticket ?? state.ticket, operator, operatorTyping: false };
        if (state.phase === 'chatting' && state.operator === operator) return set(patch);
        const line =
          state.phase === 'chatting' && state.operator && operator
            ? strings.takenOver(operator, state.operator)
            : strings.joined(operator ?? '');
        return system(line, patch);
      }
    },
    /** The customer wrote: shown at once, pending until the desk acknowledges it. */
    mine(line: { id: string; text: string; file?: string }): void {
      addLines([{ ...line, from: 'me', at: now(), mark: 'pending' }]);
    },
    /**
     * Marks only move forward: pending → sent (ack) → delivered (receipt) → read (marker).
     * `unsent` only replaces `pending`, and a retry makes an `unsent` line `pending` again.
     */
    mark(id: string, mark: Mark): void {
      const i = state.lines.findIndex((l) => l.id === id && l.from === 'me');
      const line = state.lines[i];
      if (!line) return;
      const current = line.mark ?? 'pending';
      if (
        mark === 'unsent'
          ? current !== 'pending'
          : mark === 'pending'
            ? current !== 'unsent'
            : mark !== 'failed' && MARK_ORDER.indexOf(mark) <= MARK_ORDER.indexOf(current)
      )
        return;
      const lines = state.lines.slice();
      lines[i] = { ...line, mark };
      set({ lines });
    },
    operatorSaid(m: { id: string; author: string; text: string; file?: string; markable?: boolean; at?: number }): void {
      addLines(
        [
          {
            id: m.id,
            from: 'operator',
            author: m.author,
            text: m.text,
            at: m.at ?? now(),
            ...(m.file ? { file: m.file } : {}),
            ...(m.markable ? { markable: true } : {}),
          },
        ],
        { operatorTyping: false, operator: state.operator ?? m.author },
      );
    },
    deskSaid(text: string): void {
      system(text);
    },
    /** Lines fetched from the transcript after a reattach: the missing ones, in time order. */
    merge(lines: ChatLine[]): void {
      const known = new Set(state.lines.map((l) => l.id));
      const fresh = lines.filter((l) => !known.has(l.id));
      if (fresh.length === 0) return;
      set({ lines: [...state.lines, ...fresh].sort((a, b) => a.at - b.at).slice(-MAX_LINES) });
    },
    /** The <session/> result said there is no live ticket although this page thought there was. */
    noLiveTicket(): void {
      if (live() && state.phase !== 'joining') system(strings.ended, { phase: 'ended', operatorTyping: false });
    },
    leftMessage(ticket: number | undefined): void {
      set({ phase: 'left-message', offlineTicket: ticket });
    },
    replied(r: { ticket?: number; operator?: string; text?: string }): void {
      if (r.text) set({ replies: [...state.replies, { ticket: r.ticket, operator: r.operator, text: r.text }] });
    },
    rated(score: number): void {
      set({ rated: score });
    },
    newChat(): void {
      set({
        phase: 'idle',
        lines: [],
        operatorTyping: false,
        ticket: undefined,
        position: undefined,
        waitSeconds: undefined,
        operator: undefined,
        rated: undefined,
        emailGiven: undefined,
        offlineTicket: undefined,
      });
    },
    saved(): SavedChat {
      const { phase, ticket, position, waitSeconds, operator, lines, rated, emailGiven } = state;
      return { phase: phase === 'left-message' ? 'idle' : phase, ticket, position, waitSeconds, operator, lines, rated, emailGiven };
    },
    restore(saved: Partial<SavedChat>): void {
      set({ ...saved, lines: Array.isArray(saved.lines) ? saved.lines.slice(-MAX_LINES) : [] });
    },
  };
}
export type WidgetStore = ReturnType<typeof createWidgetStore>;
