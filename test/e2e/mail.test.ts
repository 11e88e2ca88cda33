/**
 * Email (issue 17) end to end: the real stack with a real SMTP server on a loopback port
 * (test/support/smtp-catcher.ts). A message left while the desk is closed reaches the desk's
 * notification address (and, with consent, the customer); !reply reaches the customer in their
 * language, once across mail and widget; SMTP down and a kill -9 lose nothing and send once;
 * an erasure removes queued mail.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xml } from '@xmpp/client';
import type { ParsedMail } from 'mailparser';
import { ADMIN_TOKEN, startStack, SUPPORT, type Stack } from '../support/stack.js';
import { errorConditionOf, isIntro, type TestClient } from '../support/clients.js';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp-catcher.js';
import { joinForm as form } from '../support/join-form.js';

const NS = 'urn:madoguchi:desk:0';
const STAFF = 'staff@example.com';
const toAddress = (m: ParsedMail) => (Array.isArray(m.to) ? m.to.map((t) => t.text).join(',') : (m.to?.text ?? ''));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('email', () => {
  let smtp: SmtpCatcher;
  let stack: Stack;
  let alice: TestClient;

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    stack = await startStack({
      mail: {
        host: '127.0.0.1',
        port: smtp.port,
        tls: 'none',
        from: 'desk@example.com',
        notify: { support: [STAFF] },
        retryBaseSeconds: 0.3,
        retryMaxSeconds: 0.6,
        replyHoldSeconds: 1, // these customers send no presence: the desk still counts them online
      },
      widget: {
        form: [
          { var: 'name', label: 'Name', type: 'text', required: true },
          { var: 'email', label: 'Email', type: 'email' },
          { var: 'question', label: 'Your question', type: 'textarea', required: true },
          { var: 'mail_consent', label: 'Email me', type: 'checkbox' },
        ],
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await smtp?.stop();
  });

  async function leave(token: string, fields: Record<string, string>): Promise<number> {
    const c = await stack.customer();
    await c.iq(SUPPORT, 'set', xml('session', { xmlns: NS, token }));
    const left = await c.iq(SUPPORT, 'set', xml('leave-message', { xmlns: NS }, form(fields)));
    await c.stop();
    return Number(left.getChild('offline', NS)?.attrs.ticket);
  }

  const queueDepth = async () => {
    const text = await (await fetch(`${stack.httpUrl}/metrics`)).text();
    return Number(/^madoguchi_mail_queue_depth (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
  };

  let ticket = 0;
  it('a message left while closed reaches the staff; the customer who consented gets an acknowledgement', async () => {
    expect((await stack.status()).desks.find((d) => d.desk === 'support')?.mode).toBe('closed'); // no operator online
    ticket = await leave('mailtokenA-0123456789abcdef', {
      name: 'Hana',
      email: 'hana@example.jp',
      question: '返品できますか？',
      mail_consent: 'true',
      language: 'ja',
      page_url: 'https://shop.example/returns',
    });
    const staff = await smtp.waitFor((m) => toAddress(m).includes(STAFF), 'to the staff');
    expect(staff.subject).toBe(`[Support] Message #${ticket} from Hana`);
    expect(staff.text).toContain('Email: hana@example.jp');
    expect(staff.text).toContain('Page: https://shop.example/returns');
    expect(staff.text).toContain('返品できますか？');
    expect(staff.messageId).toMatch(/^<[0-9a-f-]{36}@example\.com>$/);
    const ack = await smtp.waitFor((m) => toAddress(m).includes('hana@example.jp'), 'acknowledgement');
    expect(ack.subject).toBe(`Support：お問い合わせを受け付けました（#${ticket}）`);
  });

  it('no mail to a customer without the consent box ticked', async () => {
    const before = smtp.mails.length;
    const t = await leave('mailtokenB-0123456789abcdef', { name: 'Ben', email: 'ben@example.com', question: 'No mail please' });
    await smtp.waitFor((m) => m.subject === `[Support] Message #${t} from Ben`, 'staff notice of Ben');
    await sleep(800);
    expect(smtp.mails.slice(before).map(toAddress)).toEqual([STAFF]);
  });

  it('!reply reaches the customer by mail in their language, names the operator, not the JID, and shows once', async () => {
    alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    await alice.say(SUPPORT, `!reply ${ticket} はい、30日以内なら返品できます。`);
    await alice.message(SUPPORT, `Reply to #${ticket} sent`);
    const reply = await smtp.waitFor((m) => m.subject === `Support：お問い合わせへの返信（#${ticket}）`, 'reply in Japanese');
    expect(toAddress(reply)).toBe('hana@example.jp');
    expect(reply.text).toContain('Aliceからの返信');
    expect(reply.text).toContain('はい、30日以内なら返品できます。');
    expect(reply.text).toContain('https://shop.example/returns');
    expect(reply.html).toContain('<a href="https://shop.example/returns">サイトに戻る</a>');
    expect(`${reply.text}${reply.html}`).not.toContain('alice@localhost');
    // The next visit's widget does not show it again: it was delivered by mail.
    const next = await stack.customer();
    const s = await next.iq(SUPPORT, 'set', xml('session', { xmlns: NS, token: 'mailtokenA-0123456789abcdef' }));
    expect(s.getChild('session', NS)?.getChildren('reply')).toEqual([]);
    await next.stop();
  });

  it('mails the transcript on request once the chat has ended, to the address given, naming operators only', async () => {
    const c = await stack.customer();
    await c.iq(SUPPORT, 'set', xml('session', { xmlns: NS, token: 'mailtokenT-0123456789abcdef' }));
    const joined = await c.iq(
      SUPPORT,
      'set',
      xml('join', { xmlns: NS }, form({ name: 'Tomo', email: 'tomo@example.com', question: 'Green or black?' })),
    );
    const ticket = String(joined.getChild('status', NS)?.attrs.ticket);
    const intro = await alice.next(isIntro, 'intro of Tomo');
    await alice.say(String(intro.attrs.from), 'Green, always.');
    await c.message(`${SUPPORT}/Alice`, 'Green, always.');
    const early = await c.iq(SUPPORT, 'set', xml('email-transcript', { xmlns: NS, ticket }));
    expect(errorConditionOf(early)).toBe('bad-request');
    await c.iq(SUPPORT, 'set', xml('end', { xmlns: NS }));
    const asked = await c.iq(SUPPORT, 'set', xml('email-transcript', { xmlns: NS, ticket }));
    expect(asked.attrs.type).toBe('result');
    const mail = await smtp.waitFor((m) => m.subject === `Support: transcript of your chat (#${ticket})`, 'transcript');
    expect(toAddress(mail)).toBe('tomo@example.com');
    const lines = (mail.text ?? '').split('\n').map((l) => l.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d /, ''));
    expect(lines.filter((l) => /^(You|Alice|Support): (Green|Alice has joined)/.test(l))).toEqual([
      'You: Green or black?',
      'Support: Alice has joined',
      'Alice: Green, always.',
    ]);
    expect(`${mail.text}${mail.html}`).not.toContain('alice@localhost');
    const other = await stack.customer();
    await other.iq(SUPPORT, 'set', xml('session', { xmlns: NS, token: 'mailtokenU-0123456789abcdef' }));
    expect(errorConditionOf(await other.iq(SUPPORT, 'set', xml('email-transcript', { xmlns: NS, ticket })))).toBe('item-not-found');
    await other.stop();
    await c.stop();
  });

  it('SMTP down during !reply, a kill -9 of the component, SMTP up: exactly one mail each, nothing lost', async () => {
    const t = await leave('mailtokenC-0123456789abcdef', {
      name: 'Carl',
      email: 'carl@example.com',
      question: 'Where is my parcel?',
      mail_consent: 'true',
      language: 'en-GB',
    });
    await smtp.waitFor((m) => m.subject === `[Support] Message #${t} from Carl`, 'staff notice of Carl');
    await smtp.waitFor((m) => toAddress(m) === 'carl@example.com', 'acknowledgement to Carl'); // the queue is empty
    await smtp.stop();
    await alice.say(SUPPORT, `!reply ${t} It left today.`);
    await alice.message(SUPPORT, `Reply to #${t} sent`);
    await sleep(1500); // several refused attempts
    expect(readFileSync(join(stack.dir, 'component.log'), 'utf8')).toContain('mail not sent; will retry');
    expect(await queueDepth()).toBe(1); // issue 18's gauge: the reply waits in Redis
    await stack.killComponent();
    await smtp.start();
    await stack.startComponent();
    const subject = `Support: reply to your message (#${t})`;
    const mail = await smtp.waitFor((m) => m.subject === subject, 'reply after the restart', 15_000);
    expect(mail.text).toContain('Alice replied to your message:\n\nIt left today.');
    await expect.poll(queueDepth).toBe(0);
    await sleep(2000); // a duplicate would come within a few retry periods
    expect(smtp.mails.filter((m) => m.subject === subject)).toHaveLength(1);
    expect(
      smtp.mails
        .filter((m) => m.subject?.includes(`#${t}`))
        .map(toAddress)
        .sort(),
    ).toEqual(['carl@example.com', 'carl@example.com', STAFF]);
  });

  it('a refused address is given up at once, logged and counted; the staff still get their mail', async () => {
    const t = await leave('mailtokenE-0123456789abcdef', {
      name: 'Eve',
      email: 'bounce@example.com',
      question: 'Hi',
      mail_consent: 'true',
    });
    await smtp.waitFor((m) => m.subject === `[Support] Message #${t} from Eve`, 'staff notice of Eve');
    const until = Date.now() + 5000;
    let metrics = '';
    while (!/madoguchi_mail_total\{outcome="refused"\} 1/.test(metrics) && Date.now() < until) {
      await sleep(100);
      metrics = await (await fetch(`${stack.httpUrl}/metrics`)).text();
    }
    expect(metrics).toMatch(/madoguchi_mail_total\{outcome="refused"\} 1/);
    expect(metrics).toMatch(/madoguchi_mail_total\{outcome="sent"\} [1-9]/);
    const log = readFileSync(join(stack.dir, 'component.log'), 'utf8');
    expect(log).toMatch(/"why":"refused".*"msg":"mail given up"|"msg":"mail given up".*"why":"refused"/);
    expect(log).not.toContain('bounce@example.com'); // customers' addresses stay out of the log
    await sleep(1000);
    expect(smtp.mails.filter((m) => m.subject?.includes(`#${t}`))).toHaveLength(1);
  });

  it('an erasure removes queued mail to that customer', async () => {
    await smtp.stop();
    const t = await leave('mailtokenD-0123456789abcdef', {
      name: 'Dora',
      email: 'dora@example.com',
      question: 'Forget me',
      mail_consent: 'true',
    });
    const res = await fetch(`${stack.httpUrl}/api/transcripts/${t}/redact`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'erasure request' }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { mailsRemoved?: number }).mailsRemoved).toBe(2); // staff notice and acknowledgement
    await smtp.start();
    await sleep(1500);
    expect(smtp.mails.filter((m) => m.subject?.includes(`#${t}`))).toEqual([]);
  });

  it('a customer writing over XMPP while the desk is switched closed: kept as a message, and the staff are mailed', async () => {
    alice ??= await stack.operator('alice');
    await alice.say(SUPPORT, '!closed on');
    await alice.message(SUPPORT, /closed now/);
    const c = await stack.customer(); // a plain XMPP customer: no widget session
    await c.say(SUPPORT, 'Is the shop open on Sunday?');
    const reply = await c.message(SUPPORT, /closed right now/);
    const ticket = Number(/kept as #(\d+)/.exec(reply.getChildText('body') ?? '')?.[1]);
    expect(ticket).toBeGreaterThan(0);
    const staff = await smtp.waitFor((m) => toAddress(m).includes(STAFF) && (m.subject ?? '').includes(`#${ticket}`), 'the staff notice');
    expect(staff.text).toContain('Is the shop open on Sunday?');
    expect(staff.text).not.toContain('alice@localhost');
    await alice.say(SUPPORT, '!closed off');
    await alice.message(SUPPORT, /is open again|follows its hours again/);
  });
});
