/**
 * Reads what the desk says in plain XMPP (DESIGN §2): its presence (open / busy / closed)
 * and its automatic replies (ticket, place in line, operator joined, chat ended). Pure: no
 * DOM, no StanzaJS. The wording parsed here is the component's src/texts.ts and
 * src/desk-state.ts; richer IQs in the project's namespace will replace it (issue 3).
 */

export type DeskMode = 'open' | 'busy' | 'closed';

export interface DeskStatus {
  mode: DeskMode;
  /** Customers waiting, when the desk says (busy). */
  waiting?: number;
  /** Estimated wait in minutes, when the desk says (busy). */
  minutes?: number;
}

/** Minutes to wait: 0 = "shortly", null = no operator online (you keep your place). */
export type WaitMinutes = number | null;

export type DeskNotice =
  | { kind: 'queued'; ticket: number; position: number; minutes: WaitMinutes }
  | { kind: 'position'; ticket: number; position: number; minutes: WaitMinutes }
  | { kind: 'requeued'; ticket: number }
  | { kind: 'transferred'; desk: string }
  | { kind: 'joined'; operator: string }
  | { kind: 'taken-over'; operator: string; previous: string }
  | { kind: 'ended'; operator?: string }
  | { kind: 'refused' };

/** The desk's presence as the widget shows it. */
export function parseDeskPresence(p: { type?: string; show?: string; status?: string }): DeskStatus {
  if (p.type === 'unavailable' || p.type === 'error') return { mode: 'closed' };
  if (p.show === 'xa') return { mode: 'closed' };
  if (p.show === 'away' || p.show === 'dnd') {
    const status: DeskStatus = { mode: 'busy' };
    const waiting = /(\d+)\s+waiting/.exec(p.status ?? '');
    const minutes = /about\s+(\d+)\s+min/.exec(p.status ?? '');
    if (waiting?.[1] !== undefined) status.waiting = Number(waiting[1]);
    if (minutes?.[1] !== undefined) status.minutes = Number(minutes[1]);
    return status;
  }
  return { mode: 'open' }; // available or `chat`
}

function waitOf(phrase: string): WaitMinutes {
  const about = /estimated wait about (\d+) min/.exec(phrase);
  if (about?.[1] !== undefined) return Number(about[1]);
  if (phrase.includes('no operator is online')) return null;
  return 0; // "an operator will be with you shortly"
}

const QUEUED = /^Welcome to .+?\. Your ticket is #(\d+)\. You are number (\d+) in line \(([^)]*)\)/;
const POSITION = /^Ticket #(\d+): you are now number (\d+) in line \(([^)]*)\)/;
const REQUEUED = /^Your operator was disconnected\. Ticket #(\d+) is back at the head of the line/;
const TRANSFERRED = /^You have been transferred to (.+?)\. You are first in line there\./;

/** From the bare desk JID: the queue's automatic replies. */
function fromDesk(body: string): DeskNotice | undefined {
  let m = QUEUED.exec(body);
  if (m) return { kind: 'queued', ticket: Number(m[1]), position: Number(m[2]), minutes: waitOf(m[3] ?? '') };
  m = POSITION.exec(body);
  if (m) return { kind: 'position', ticket: Number(m[1]), position: Number(m[2]), minutes: waitOf(m[3] ?? '') };
  m = REQUEUED.exec(body);
  if (m) return { kind: 'requeued', ticket: Number(m[1]) };
  m = TRANSFERRED.exec(body);
  if (m?.[1] !== undefined) return { kind: 'transferred', desk: m[1] };
  if (body === 'Sorry, this desk is closed right now.') return { kind: 'refused' };
  if (body === 'This chat has ended.') return { kind: 'ended' };
  return undefined;
}

/** From desk/<Name>: only sentences about that same operator count as notices. */
function fromOperator(name: string, body: string): DeskNotice | undefined {
  if (body === `${name} has joined`) return { kind: 'joined', operator: name };
  if (body.startsWith(`${name} has ended the chat.`)) return { kind: 'ended', operator: name };
  const taken = body.startsWith(`${name} has taken over from `) && /^(.+) has taken over from (.+)\.$/.exec(body);
  if (taken && taken[2] !== undefined) return { kind: 'taken-over', operator: name, previous: taken[2] };
  return undefined;
}

/**
 * A message from the desk: a notice the widget understands, or undefined (then it is an
 * operator's message when `resource` is set, or other desk text to show as it is).
 */
export function parseDeskNotice(resource: string | undefined, body: string): DeskNotice | undefined {
  return resource ? fromOperator(resource, body) : fromDesk(body);
}
