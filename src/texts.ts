/** The desk's automatic replies, in one place so they read as one voice. */
import { roundWaitMinutes } from './estimate.js';

const waitPhrase = (waitMs: number): string => {
  const minutes = roundWaitMinutes(waitMs);
  if (!Number.isFinite(minutes)) return 'no operator is online right now; you keep your place';
  if (minutes === 0) return 'an operator will be with you shortly';
  return `estimated wait about ${minutes} min`;
};

/** How a customer is named to operators: the name they gave, or their ticket. */
export const customerName = (t: { id: number; name: string }): string => t.name || `Customer #${t.id}`;

export const texts = {
  /** `greeting`: the desk's own welcome or busy text (desk-texts.ts). */
  queued: (deskName: string, ticket: number, position: number, waitMs: number, greeting?: string) =>
    `${greeting ?? `Welcome to ${deskName}.`} Your ticket is #${ticket}. You are number ${position} in line (${waitPhrase(waitMs)}). ` +
    'Write here while you wait: the operator will see your messages.',
  position: (ticket: number, position: number, waitMs: number) =>
    `Ticket #${ticket}: you are now number ${position} in line (${waitPhrase(waitMs)}).`,
  operatorJoined: (operatorName: string) => `${operatorName} has joined`,
  assignmentIntro: (p: {
    ticket: number;
    deskName: string;
    customerName: string;
    waitedMs: number;
    firstMessage: string | undefined;
    summary?: string;
  }) =>
    `New chat — ticket #${p.ticket} on ${p.deskName} from ${p.customerName}, waited ${formatDuration(p.waitedMs)}.` +
    (p.summary ? ` (${p.summary})` : '') +
    (p.firstMessage ? ` First message: “${p.firstMessage}”` : '') +
    ' Reply here; !end closes the chat, !help lists commands.',
  requeued: (ticket: number) =>
    `Your operator was disconnected. Ticket #${ticket} is back at the head of the line; the next free operator will take over.`,
  requeuedOperator: (ticket: number) => `Ticket #${ticket} went back to the queue because you were offline too long.`,
  /** Settings changed (issue 16): the operator no longer serves the chat's desk. */
  requeuedOperatorRemoved: (ticket: number) =>
    `Your operator is no longer available. Ticket #${ticket} is back at the head of the line; the next free operator will take over.`,
  requeuedRemovedForOperator: (ticket: number, deskName: string) =>
    `Chat #${ticket} went back to the ${deskName} queue: you no longer serve that desk.`,
  /** routing.reassignUnansweredSeconds (issue 16): the operator did not answer in time. */
  reassignedUnanswered: (ticket: number) =>
    `Sorry for the wait. Ticket #${ticket} is back at the head of the line; the next free operator will take over.`,
  reassignedUnansweredForOperator: (ticket: number, seconds: number) =>
    `Chat #${ticket} went back to the queue: it was not answered within ${seconds} s.`,
  endedByOperator: (operatorName: string, closing?: string) =>
    `${operatorName} has ended the chat. ${closing ?? 'Thank you for contacting us.'}`,
  endedForOperator: (ticket: number) => `Chat #${ticket} ended.`,
  customerLeft: (ticket: number) => `The customer left. Chat #${ticket} ended.`,
  customerEnded: (ticket: number) => `The customer ended the chat. Chat #${ticket} ended.`,
  offlineReply: (ticket: number, operatorName: string, text: string) => `Reply to your message #${ticket} from ${operatorName}: ${text}`,
  transferIntro: (p: {
    ticket: number;
    deskName: string;
    customerName: string;
    from: string;
    notes: readonly string[];
    summary?: string;
  }) =>
    `Transferred to you by ${p.from} — ticket #${p.ticket} on ${p.deskName} from ${p.customerName}.` +
    (p.summary ? ` (${p.summary})` : '') +
    (p.notes.length ? ` Notes: ${p.notes.join(' | ')}` : '') +
    ' Reply here; !info shows more.',
  handoverContext: (ticket: number, lines: readonly { at: number; who: string; body: string }[]) =>
    `Last messages of chat #${ticket}:\n` +
    lines
      .map((l) => `${new Date(l.at).toISOString().slice(11, 16)} ${l.who}: ${l.body.length > 200 ? `${l.body.slice(0, 199)}…` : l.body}`)
      .join('\n'),
  takenOver: (to: string, from: string) => `${to} has taken over from ${from}.`,
  transferredToDesk: (deskName: string) => `You have been transferred to ${deskName}. You are first in line there.`,
  closedForCustomer: (closed?: string) => closed ?? 'Sorry, this desk is closed right now.',
  /** Outside business hours (issue 17); `status` is the desk's "Closed — opens Monday 09:00 (JST)". */
  closedLeaveMessage: (deskName: string, status: string, closed?: string) =>
    `${closed ? `${closed} (${status})` : `Sorry, ${deskName} is closed right now (${status}).`} Please leave a message.`,
  closedByHours: (deskName: string, status: string, ticket: number | null, closed?: string) =>
    (closed ? `${closed} (${status})` : `Sorry, ${deskName} is closed right now (${status}).`) +
    (ticket === null
      ? ' Too many of your messages are waiting already.'
      : ` Your message is kept as #${ticket}; an operator will answer it here.`),
  /** At closing time with hours.atClosing 'offline' (issue 17): the waiting customer's question is kept. */
  closedAtClosing: (deskName: string, ticket: number) =>
    `${deskName} has closed for today. Your question is kept as #${ticket}; an operator will answer it here.`,
  bannedEnd: () => 'This chat has ended.',
  monitorCopy: (ticket: number, who: string, body: string) => `[#${ticket} ${who}] ${body}`,
  notAvailableCommand: (name: string) =>
    `Unknown command !${name}. Send !help for the list; start a message with !! to send a literal "!".`,
  /** The error text of a message over the sender's rate limit (limits.customerRate / operatorRate). */
  tooFast: () => 'You are sending messages too fast; please slow down',
  tooFastForOperator: (ticket: number) =>
    `⚠ The customer of chat #${ticket} is sending messages too fast; the excess is refused and not shown here. They were asked to slow down.`,
  busy: () => 'Too many of your requests are waiting; please retry shortly',
};

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${seconds % 60} s`;
}
