/**
 * Mail delivery faults (issue 17; README "Email"), real stack and a real SMTP server: an unclear
 * result (the server took the mail, the link dropped before its 250) is retried with the same
 * Message-ID, so the copy can be told apart; with SMTP down past `giveUpSeconds` the mail is given
 * up with the log line and the metric, and nothing is sent once SMTP is back.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xml } from '@xmpp/client';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp-catcher.js';
import { joinForm as form } from '../support/join-form.js';

const NS = 'urn:madoguchi:desk:0';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('mail delivery faults', () => {
  let smtp: SmtpCatcher;
  let stack: Stack;
  const log = () => readFileSync(join(stack.dir, 'component.log'), 'utf8');
  const metrics = async () => (await fetch(`${stack.httpUrl}/metrics`)).text();

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    stack = await startStack({
      mail: {
        host: '127.0.0.1',
        port: smtp.port,
        tls: 'none',
        notify: { support: ['staff@example.com'] },
        retryBaseSeconds: 0.3,
        retryMaxSeconds: 0.6,
        giveUpSeconds: 2,
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await smtp?.stop();
  });

  async function leave(token: string, name: string): Promise<number> {
    const c = await stack.customer();
    await c.iq(SUPPORT, 'set', xml('session', { xmlns: NS, token }));
    const left = await c.iq(SUPPORT, 'set', xml('leave-message', { xmlns: NS }, form({ name, question: 'Hello?' })));
    await c.stop();
    return Number(left.getChild('offline', NS)?.attrs.ticket);
  }

  it('an unclear result (link dropped after the final ".", no 250) is sent again with the same Message-ID', async () => {
    smtp.dropAfterData = 1;
    const t = await leave('faultTokenA-0123456789abcdef', 'Uma');
    const subject = `[Support] Message #${t} from Uma`;
    await expect.poll(() => smtp.mails.filter((m) => m.subject === subject).length, { timeout: 10_000 }).toBe(2);
    const [first, retry] = smtp.mails.filter((m) => m.subject === subject);
    expect(first?.messageId).toMatch(/^<[0-9a-f-]{36}@localhost>$/);
    expect(retry?.messageId).toBe(first?.messageId); // the receiving side can drop the copy by it
    expect(log()).toContain('mail not sent; will retry');
    await sleep(1500); // sent now: no third copy
    expect(smtp.mails.filter((m) => m.subject === subject)).toHaveLength(2);
  });

  it('SMTP down past giveUpSeconds: "mail given up" logged, counted as given_up, nothing sent when SMTP is back', async () => {
    await smtp.stop();
    const t = await leave('faultTokenB-0123456789abcdef', 'Vic');
    await expect
      .poll(
        () =>
          log()
            .split('\n')
            .some((l) => l.includes('"msg":"mail given up"') && l.includes('"why":"expired"')),
        { timeout: 10_000 },
      )
      .toBe(true);
    const text = await metrics();
    expect(text).toMatch(/^madoguchi_mail_total\{outcome="given_up"\} 1$/m);
    expect(text).toMatch(/^madoguchi_mail_queue_depth 0$/m);
    await smtp.start();
    await sleep(2500); // several retry periods
    expect(smtp.mails.filter((m) => m.subject === `[Support] Message #${t} from Vic`)).toEqual([]);
  });
});
