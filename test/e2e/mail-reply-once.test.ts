/**
 * `!reply` to a left message reaches the customer once across the widget and mail (issue 17;
 * README "Email"), against the real stack and a real SMTP server. The live copy carries an
 * XEP-0184 request (the widget's StanzaJS answers it by itself, as these clients do by hand);
 * its mail waits `replyHoldSeconds` for that receipt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xml } from '@xmpp/client';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';
import type { TestClient } from '../support/clients.js';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp-catcher.js';
import { joinForm as form } from '../support/join-form.js';

const NS = 'urn:madoguchi:desk:0';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const subjectOf = (t: number) => `Support: reply to your message (#${t})`;

describe('!reply once across widget and mail', () => {
  let smtp: SmtpCatcher;
  let stack: Stack;
  let alice: TestClient;

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    stack = await startStack({
      mail: { host: '127.0.0.1', port: smtp.port, tls: 'none', retryBaseSeconds: 0.3, retryMaxSeconds: 0.6, replyHoldSeconds: 1 },
      widget: {
        form: [
          { var: 'name', label: 'Name', type: 'text', required: true },
          { var: 'email', label: 'Email', type: 'email' },
          { var: 'question', label: 'Your question', type: 'textarea', required: true },
          { var: 'mail_consent', label: 'Email me', type: 'checkbox' },
        ],
      },
    });
    alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
  });
  afterAll(async () => {
    await stack?.stop();
    await smtp?.stop();
  });

  /** A widget-like customer bound to `token` that leaves a message with consent; stays online. */
  async function leave(token: string, name: string): Promise<{ c: TestClient; ticket: number }> {
    const c = await stack.customer();
    await c.iq(SUPPORT, 'set', xml('session', { xmlns: NS, token }));
    const fields = { name, email: `${name.toLowerCase()}@example.com`, question: 'Any news?', mail_consent: 'true' };
    const left = await c.iq(SUPPORT, 'set', xml('leave-message', { xmlns: NS }, form(fields)));
    return { c, ticket: Number(left.getChild('offline', NS)?.attrs.ticket) };
  }
  const session = async (token: string) => {
    const c = await stack.customer();
    const s = await c.iq(SUPPORT, 'set', xml('session', { xmlns: NS, token }));
    await c.stop();
    return (s.getChild('session', NS)?.getChildren('reply') ?? []).map((r) => r.text());
  };
  const reply = async (ticket: number, text: string) => {
    await alice.say(SUPPORT, `!reply ${ticket} ${text}`);
    await alice.message(SUPPORT, `Reply to #${ticket} sent`);
  };

  it('a customer online at !reply sees it live and gets no mail (their client acknowledged it)', async () => {
    const { c, ticket } = await leave('onceTokenA-0123456789abcdef', 'Ann');
    await reply(ticket, 'Yes, it shipped.');
    const live = await c.message(SUPPORT, `Reply to your message #${ticket}`);
    expect(live.getChild('reply', NS)?.text()).toBe('Yes, it shipped.');
    expect(live.getChild('request', 'urn:xmpp:receipts')).toBeDefined();
    // What StanzaJS (the widget) sends by itself for a message with a receipt request.
    await c.send(xml('message', { to: SUPPORT, type: 'chat' }, xml('received', { xmlns: 'urn:xmpp:receipts', id: String(live.attrs.id) })));
    await sleep(3000); // well past replyHoldSeconds and a few ticks
    expect(smtp.mails.filter((m) => m.subject === subjectOf(ticket))).toEqual([]);
    await c.stop();
  });

  it('a customer online at !reply whose client never acknowledges it still gets the mail', async () => {
    const { c, ticket } = await leave('onceTokenB-0123456789abcdef', 'Bea');
    await reply(ticket, 'Did you see this?');
    await c.message(SUPPORT, `Reply to your message #${ticket}`);
    const mail = await smtp.waitFor((m) => m.subject === subjectOf(ticket), 'the reply mail');
    expect(mail.text).toContain('Did you see this?');
    await c.stop();
  });

  it('a receipt from another customer does not stop the mail', async () => {
    const { c, ticket } = await leave('onceTokenC-0123456789abcdef', 'Cy');
    const other = await stack.customer();
    await other.iq(SUPPORT, 'set', xml('session', { xmlns: NS, token: 'onceTokenX-0123456789abcdef' }));
    await reply(ticket, 'Only for Cy.');
    const live = await c.message(SUPPORT, `Reply to your message #${ticket}`);
    await other.send(
      xml('message', { to: SUPPORT, type: 'chat' }, xml('received', { xmlns: 'urn:xmpp:receipts', id: String(live.attrs.id) })),
    );
    await smtp.waitFor((m) => m.subject === subjectOf(ticket), 'the reply mail');
    await other.stop();
    await c.stop();
  });

  it('shown first by the widget’s next visit: not mailed', async () => {
    const { c, ticket } = await leave('onceTokenD-0123456789abcdef', 'Dan');
    await c.stop();
    await smtp.stop();
    await reply(ticket, 'Shown in the widget.');
    expect(await session('onceTokenD-0123456789abcdef')).toEqual(['Shown in the widget.']);
    await smtp.start();
    await sleep(2500); // several retry periods
    expect(smtp.mails.filter((m) => m.subject === subjectOf(ticket))).toEqual([]);
  });

  it('mailed first to an offline customer: the widget’s next visit does not show it again', async () => {
    const { c, ticket } = await leave('onceTokenE-0123456789abcdef', 'Eli');
    await c.stop();
    await reply(ticket, 'Sent by mail.');
    await smtp.waitFor((m) => m.subject === subjectOf(ticket), 'the reply mail');
    expect(await session('onceTokenE-0123456789abcdef')).toEqual([]);
  });
});
