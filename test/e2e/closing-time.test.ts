/**
 * Closing time with desks[].hours.atClosing 'offline' on the real stack (issue 17). The desk is open
 * today; a customer waits behind a chat; an admin then closes today live (`!hours set`, issue 16),
 * so closing time passes at the next tick: the waiting customer is told the desk has closed, their
 * question (both messages) is in !tickets, and the staff are mailed it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';
import { isIntro, type TestClient } from '../support/clients.js';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp-catcher.js';

const NS = 'urn:madoguchi:desk:0';
const STAFF = 'staff@example.com';
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const today = DAYS[new Date().getUTCDay()] as string;
const tomorrow = DAYS[(new Date().getUTCDay() + 1) % 7] as string;
const allDay = [{ start: '00:00', end: '24:00' }];
const toAddress = (m: ParsedMail) => (Array.isArray(m.to) ? m.to.map((t) => t.text).join(',') : (m.to?.text ?? ''));

describe('closing time sends the waiting customers offline', () => {
  let smtp: SmtpCatcher;
  let stack: Stack;
  let alice: TestClient;
  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    stack = await startStack({
      operators: [{ user: 'alice', name: 'Alice', desks: ['support'], maxChats: 1, role: 'admin' }],
      deskExtras: { support: { hours: { timeZone: 'UTC', weekly: { [today]: allDay }, atClosing: 'offline' } } },
      mail: { host: '127.0.0.1', port: smtp.port, tls: 'none', from: 'desk@example.com', notify: { support: [STAFF] } },
    });
    alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    await alice.next(
      (el) => el.name === 'presence' && el.attrs.from === SUPPORT && el.getChild('queue', NS)?.attrs.operators === '1',
      'the desk presence counting Alice',
    );
  });
  afterAll(async () => {
    await stack?.stop();
    await smtp?.stop();
  });

  it('a customer waiting at closing gets the notice; their question shows in !tickets and reaches the staff', async () => {
    const first = await stack.customer();
    await first.say(SUPPORT, 'I am first');
    await alice.next(isIntro, 'the first chat');
    const mei = await stack.customer();
    await mei.say(SUPPORT, 'Where is my parcel?');
    const queued = await mei.message(SUPPORT, /ticket is #(\d+)/);
    const ticket = /ticket is #(\d+)/.exec(queued.getChildText('body') ?? '')?.[1];
    await mei.say(SUPPORT, 'Order 4711, sent last week.');
    await new Promise((r) => setTimeout(r, 300));

    // An admin closes today live (issue 16): the hours clock sees closing time on its next tick.
    await alice.say(SUPPORT, `!hours set ${tomorrow} 09:00-10:00; at-closing offline`);
    await alice.message(SUPPORT, /hours are now/);

    const notice = await mei.message(SUPPORT, /has closed for today/, 10_000);
    expect(notice.getChildText('body')).toBe(
      `Support has closed for today. Your question is kept as #${ticket}; an operator will answer it here.`,
    );
    expect(notice.getChild('status', NS)?.attrs).toMatchObject({ ticket, state: 'ended', reason: 'closed' });
    await first.none((el) => /has closed/.test(el.getChildText('body') ?? ''), 'nothing for the chat in progress', 500);

    await alice.say(SUPPORT, '!tickets');
    const list = (await alice.message(SUPPORT, new RegExp(`#${ticket}`))).getChildText('body') ?? '';
    expect(list).toContain('Where is my parcel?');
    expect(list).toContain('Order 4711');
    const staff = await smtp.waitFor((m) => toAddress(m).includes(STAFF) && (m.subject ?? '').includes(`#${ticket}`), 'the staff mail');
    expect(staff.text).toContain('Where is my parcel?');
    expect(staff.text).toContain('Order 4711, sent last week.');
  });
});
