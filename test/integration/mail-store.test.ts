/** The mail queue (store/mail-store.ts) against a real Redis: leases, retries, erasure, delivery marks. */
import { describe, expect, it } from 'vitest';
import { useFreshStore } from './store-fixture.js';

const storeOf = useFreshStore();
const mail = (id: string, customerKey = 'tok:k1', createdAt = 1000) => ({
  id,
  messageId: `<${id}@example.com>`,
  to: ['a@example.com'],
  subject: `s ${id}`,
  text: 't',
  html: '<p>t</p>',
  customerKey,
  createdAt,
  delivers: '',
});

describe('mail store', () => {
  it('claims due mails once per lease, and again when the lease ends (a sender killed mid-send)', async () => {
    const m = storeOf().mail;
    await m.enqueue(mail('m1'), 3600);
    await m.enqueue(mail('m2', 'tok:k2', 5000), 3600);
    expect(await m.claim(2000, 62_000, 10)).toEqual(['m1']); // m2 is not due yet
    expect(await m.claim(3000, 63_000, 10)).toEqual([]); // m1 leased
    expect(await m.claim(62_000, 122_000, 10)).toEqual(['m2', 'm1']); // m2 due; m1's lease ended
    expect(await m.get('m1')).toMatchObject({ messageId: '<m1@example.com>', to: ['a@example.com'], attempts: 0 });
  });

  it('keeps the Message-ID across retries; a retry after removal revives nothing', async () => {
    const m = storeOf().mail;
    await m.enqueue(mail('m1'), 3600);
    await m.claim(1000, 61_000, 10);
    expect(await m.retry('m1', 2000, 'ECONNREFUSED')).toBe(true);
    expect(await m.claim(2000, 62_000, 10)).toEqual(['m1']);
    expect(await m.get('m1')).toMatchObject({ messageId: '<m1@example.com>', attempts: 1 });
    await m.remove('m1', 'tok:k1');
    expect(await m.retry('m1', 3000, 'late')).toBe(false);
    expect(await m.pending()).toBe(0);
  });

  it("erases a customer's mails and no one else's", async () => {
    const m = storeOf().mail;
    await m.enqueue(mail('m1'), 3600);
    await m.enqueue(mail('m2'), 3600);
    await m.enqueue(mail('m3', 'tok:other'), 3600);
    expect(await m.eraseFor('tok:k1')).toBe(2);
    expect(await m.get('m1')).toBeUndefined();
    expect(await m.claim(9000, 69_000, 10)).toEqual(['m3']);
    expect(await m.eraseFor('tok:k1')).toBe(0);
  });

  it('marks a reply delivered by the first channel only', async () => {
    const m = storeOf().mail;
    expect(await m.markDelivered(5, 100, 'widget')).toBe(true);
    expect(await m.markDelivered(5, 100, 'widget')).toBe(true); // the widget shows it on every visit, as before
    expect(await m.markDelivered(5, 100, 'mail')).toBe(false);
    expect(await m.markDelivered(5, 200, 'mail')).toBe(true);
    expect(await m.markDelivered(5, 200, 'widget')).toBe(false);
    expect(await m.deliveredBy(5, 200)).toBe('mail');
  });
});
