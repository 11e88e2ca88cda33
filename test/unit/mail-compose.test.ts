import { describe, expect, it } from 'vitest';
import {
  consentedAddress,
  customerAck,
  customerReply,
  escapeHtml,
  isTicked,
  mailLang,
  pageOf,
  staffNotice,
  transcriptMail,
} from '../../src/mail/compose.js';
import { afterFailure, retryDelayMs } from '../../src/mail/retry.js';

describe('mail composition', () => {
  it('picks Japanese for ja languages, English otherwise', () => {
    expect(['ja', 'ja-JP', 'JA', 'en', 'en-GB', '', undefined, 'jav'].map(mailLang)).toEqual([
      'ja',
      'ja',
      'ja',
      'en',
      'en',
      'en',
      'en',
      'en',
    ]);
  });

  it('mails a customer only with an address and a ticked consent box', () => {
    expect(consentedAddress({ email: 'a@b.example', mail_consent: 'true' }, 'mail_consent')).toBe('a@b.example');
    expect(consentedAddress({ email: 'a@b.example', mail_consent: 'on' }, 'mail_consent')).toBe('a@b.example');
    expect(consentedAddress({ email: 'a@b.example' }, 'mail_consent')).toBeUndefined();
    expect(consentedAddress({ email: 'a@b.example', mail_consent: 'false' }, 'mail_consent')).toBeUndefined();
    expect(consentedAddress({ mail_consent: 'true' }, 'mail_consent')).toBeUndefined();
    expect(consentedAddress({ email: 'a@b.example, c@d.example', mail_consent: 'true' }, 'mail_consent')).toBeUndefined();
    expect([isTicked('1'), isTicked('yes'), isTicked(''), isTicked(undefined)]).toEqual([true, true, false, false]);
  });

  it('links back to the page the customer left from, http(s) only', () => {
    const pages = [{ url: 'https://a.example/x', title: '', at: 1 }];
    expect(pageOf({ page_url: 'https://shop.example/p' }, pages)).toBe('https://shop.example/p');
    expect(pageOf({}, pages)).toBe('https://a.example/x');
    expect(pageOf({ page_url: 'javascript:alert(1)' }, [])).toBeUndefined();
  });

  it("gives the staff the ticket, the form's fields by label, the page and the question", () => {
    const m = staffNotice({
      ticket: 7,
      deskName: 'Sales',
      form: {
        name: 'Ken',
        email: 'ken@example.com',
        topic: 'billing',
        question: 'Invoice?',
        language: 'en',
        page_url: 'https://s.example/',
      },
      pages: [],
      labels: { name: 'Name', email: 'Email' },
    });
    expect(m.subject).toBe('[Sales] Message #7 from Ken');
    expect(m.text).toBe(
      'A customer left a message at Sales (ticket #7).\n\nName: Ken\nEmail: ken@example.com\ntopic: billing\n\n' +
        'Page: https://s.example/\nLanguage: en\n\nQuestion:\nInvoice?\n\nAnswer it with: !reply 7 <text>\n',
    );
  });

  it('escapes what customers and operators wrote in the HTML part', () => {
    const m = customerReply({
      lang: 'en',
      ticket: 3,
      deskName: 'Support',
      operatorName: 'Alice',
      text: '<b>hi</b> & "bye"',
      page: 'https://x.example/?a=1&b=2',
    });
    expect(m.html).toContain('<p>&lt;b&gt;hi&lt;/b&gt; &amp; &quot;bye&quot;</p>');
    expect(m.html).toContain('<a href="https://x.example/?a=1&amp;b=2">Back to the site</a>');
    expect(m.text).toBe('Alice replied to your message:\n\n<b>hi</b> & "bye"\n\nBack to the site: https://x.example/?a=1&b=2\n');
    expect(escapeHtml(`'`)).toBe('&#39;');
  });

  it('acknowledges in Japanese, without a link when the page is unknown', () => {
    const m = customerAck({ lang: 'ja', ticket: 9, deskName: 'サポート', question: '質問です' });
    expect(m.subject).toBe('サポート：お問い合わせを受け付けました（#9）');
    expect(m.text).toBe('サポートへのお問い合わせありがとうございます。できるだけ早くご返信いたします。\n\nお問い合わせ内容：\n質問です\n');
    expect(m.html).not.toContain('<a ');
  });
});

describe('transcript mail', () => {
  it('lists the chat in UTC with the customer as You, operators by name, redacted lines left out', () => {
    const at = Date.UTC(2026, 11, 7, 15, 4);
    const m = transcriptMail({
      lang: 'ja',
      ticket: 4,
      deskName: 'Support',
      lines: [
        { at, from: 'customer', body: 'こんにちは' },
        { at, from: 'desk', body: 'Alice has joined' },
        { at: at + 60_000, from: 'operator', name: 'Alice', body: 'Hello' },
        { at, from: 'customer' },
      ],
    });
    expect(m.subject).toBe('Support：チャットの記録（#4）');
    expect(m.text).toBe(
      'Supportとのチャットの記録です（時刻はUTC）：\n\n2026-12-07 15:04 あなた: こんにちは\n2026-12-07 15:04 Support: Alice has joined\n2026-12-07 15:05 Alice: Hello\n',
    );
  });
});

describe('mail retry', () => {
  const policy = { baseMs: 1000, maxMs: 8000, giveUpMs: 60_000 };
  it('backs off exponentially up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 50].map((n) => retryDelayMs(n, policy))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });
  it('retries temporary failures until the give-up time, refuses 5xx at once', () => {
    expect(afterFailure({ createdAt: 0, attempt: 1, now: 100 }, policy)).toEqual({ kind: 'retry', at: 1100 });
    expect(afterFailure({ createdAt: 0, attempt: 2, now: 100, responseCode: 421 }, policy)).toEqual({ kind: 'retry', at: 2100 });
    expect(afterFailure({ createdAt: 0, attempt: 9, now: 55_000 }, policy)).toEqual({ kind: 'give-up', why: 'expired' });
    expect(afterFailure({ createdAt: 0, attempt: 1, now: 100, responseCode: 550 }, policy)).toEqual({ kind: 'give-up', why: 'refused' });
  });
});
