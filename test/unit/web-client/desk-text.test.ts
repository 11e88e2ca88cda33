/**
 * The widget reads the desk's plain-XMPP wording; these tests feed it the component's own
 * texts (src/texts.ts, src/desk-state.ts), so a change of wording there fails here.
 */
import { describe, expect, it } from 'vitest';
import { computeDeskState } from '../../../src/desk-state.js';
import type { OperatorLoad } from '../../../src/queue-policy.js';
import { texts } from '../../../src/texts.js';
import { parseDeskNotice, parseDeskPresence } from '../../../web-client/src/desk-text.js';

const op = (over: Partial<OperatorLoad> = {}): OperatorLoad => ({ jid: 'a@localhost', status: 'available', active: 0, max: 2, idleSince: 0, ...over });
const presenceOf = (ops: OperatorLoad[], waiting: number) => {
  const s = computeDeskState('support', ops, waiting, 300_000);
  return { show: s.show, status: s.status };
};

describe('parseDeskPresence', () => {
  it('reads open, busy with waiting and minutes, and closed from the desk state', () => {
    expect(parseDeskPresence(presenceOf([op()], 0))).toEqual({ mode: 'open' });
    expect(parseDeskPresence(presenceOf([op({ active: 2 }), op({ jid: 'b', active: 2 })], 3))).toEqual({ mode: 'busy', waiting: 3, minutes: 5 });
    expect(parseDeskPresence(presenceOf([op({ status: 'away' })], 0))).toMatchObject({ mode: 'busy', waiting: 0 });
    expect(parseDeskPresence(presenceOf([op({ status: 'offline' })], 2))).toEqual({ mode: 'closed' });
  });

  it('treats plain available as open, unavailable and a bare "Closed" (blacklist) as closed', () => {
    expect(parseDeskPresence({})).toEqual({ mode: 'open' });
    expect(parseDeskPresence({ type: 'unavailable' })).toEqual({ mode: 'closed' });
    expect(parseDeskPresence({ show: 'xa', status: 'Closed' })).toEqual({ mode: 'closed' });
    expect(parseDeskPresence({ show: 'away' })).toEqual({ mode: 'busy' });
  });
});

describe('parseDeskNotice from the bare desk JID', () => {
  it('reads the ticket, position and wait from the welcome and the updates', () => {
    expect(parseDeskNotice(undefined, texts.queued('Support', 7, 2, 150_000))).toEqual({ kind: 'queued', ticket: 7, position: 2, minutes: 3 });
    expect(parseDeskNotice(undefined, texts.queued('Sales (EU)', 12, 1, 0))).toEqual({ kind: 'queued', ticket: 12, position: 1, minutes: 0 });
    expect(parseDeskNotice(undefined, texts.queued('Support', 3, 4, Number.POSITIVE_INFINITY))).toEqual({ kind: 'queued', ticket: 3, position: 4, minutes: null });
    expect(parseDeskNotice(undefined, texts.position(7, 1, 60_000))).toEqual({ kind: 'position', ticket: 7, position: 1, minutes: 1 });
  });

  it('reads requeue, transfer, refusal and a blacklisted end', () => {
    expect(parseDeskNotice(undefined, texts.requeued(9))).toEqual({ kind: 'requeued', ticket: 9 });
    expect(parseDeskNotice(undefined, texts.transferredToDesk('Sales'))).toEqual({ kind: 'transferred', desk: 'Sales' });
    expect(parseDeskNotice(undefined, texts.closedForCustomer())).toEqual({ kind: 'refused' });
    expect(parseDeskNotice(undefined, texts.bannedEnd())).toEqual({ kind: 'ended' });
  });

  it('leaves other desk text alone', () => {
    expect(parseDeskNotice(undefined, 'Our office is closed on Monday.')).toBeUndefined();
  });
});

describe('parseDeskNotice from desk/<operator>', () => {
  it('reads joined, ended and taken over for that same operator', () => {
    expect(parseDeskNotice('Alice', texts.operatorJoined('Alice'))).toEqual({ kind: 'joined', operator: 'Alice' });
    expect(parseDeskNotice('Alice', texts.endedByOperator('Alice'))).toEqual({ kind: 'ended', operator: 'Alice' });
    expect(parseDeskNotice('Bob', texts.takenOver('Bob', 'Alice'))).toEqual({ kind: 'taken-over', operator: 'Bob', previous: 'Alice' });
  });

  it('treats everything else, including sentences about someone else, as the operator talking', () => {
    expect(parseDeskNotice('Alice', 'Hello! How can I help?')).toBeUndefined();
    expect(parseDeskNotice('Alice', 'Bob has joined')).toBeUndefined();
    expect(parseDeskNotice('Alice', 'Alice has joined the team this year')).toBeUndefined();
  });
});
