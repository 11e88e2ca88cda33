/**
 * Report retention (issue 18, config `reports.retentionDays`, docs/reports.md): with the setting at
 * 3 days, a day of traffic on the real stack (a chat served, answered, ended and rated with a
 * comment; an impression beacon; an operator's time online) leaves report keys in Redis that all
 * expire in 3 days: the desk's and the operator's day rollups, their sample lists, the comments,
 * the ticket's marks, the impressions and the presence marks.
 */
import { xml } from '@xmpp/client';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIntro } from '../support/clients.js';
import { joinForm } from '../support/join-form.js';
import { ADMIN_TOKEN, startStack, SUPPORT, type Stack } from '../support/stack.js';

const NS = 'urn:madoguchi:desk:0';
const DAYS = 3;

describe('report retention', () => {
  let stack: Stack;
  let redis: Redis;
  beforeAll(async () => {
    stack = await startStack({ reports: { retentionDays: DAYS } });
    redis = new Redis(stack.redisUrl);
  });
  afterAll(async () => {
    redis?.disconnect();
    await stack?.stop();
  });

  it(`every report key expires after reports.retentionDays (${DAYS} days)`, async () => {
    const alice = await stack.operator('alice');
    await alice.subscribeTo(SUPPORT);
    const c = await stack.customer();
    expect((await c.iq(SUPPORT, 'set', xml('session', { xmlns: NS, token: 'retention-0123456789abcdefgh' }))).attrs.type).toBe('result');
    const joined = await c.iq(
      SUPPORT,
      'set',
      xml('join', { xmlns: NS }, joinForm({ name: 'Mei', question: 'How long do you keep this?' })),
    );
    const ticket = Number(joined.getChild('status', NS)?.attrs.ticket);
    const intro = await alice.next(isIntro, 'intro');
    await alice.say(String(intro.attrs.from), 'Not for long.');
    await c.message(`${SUPPORT}/Alice`, 'Not for long.');
    expect((await c.iq(SUPPORT, 'set', xml('end', { xmlns: NS }))).attrs.type).toBe('result');
    expect((await c.iq(SUPPORT, 'set', xml('rate', { xmlns: NS, ticket: String(ticket), score: '4' }, 'Fine'))).attrs.type).toBe('result');
    const beacon = await fetch(`${stack.httpUrl}/api/widget/impressions`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ desk: 'support', shown: { open: 1 }, opened: 1 }),
    });
    expect(beacon.status).toBe(204);
    await alice.stop(); // her time online is counted when her status changes
    const today = new Date().toISOString().slice(0, 10);
    for (let i = 0; i < 50; i++) {
      const res = await fetch(`${stack.httpUrl}/api/reports?from=${today}&desk=support`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      const { totals } = (await res.json()) as { totals: Record<string, number> };
      if (totals.ratings === 1 && totals.ended === 1 && (await redis.keys('e2e:report-marks:presence:*')).length > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }

    const keys = (await redis.keys('e2e:report*')).sort();
    const day = `${today}`;
    expect(keys).toEqual(
      expect.arrayContaining([
        `e2e:report:desk:support:${day}`,
        `e2e:report:desk:support:${day}:wait`,
        `e2e:report:desk:support:${day}:first`,
        `e2e:report:desk:support:${day}:comments`,
        `e2e:report:op:alice@localhost:${day}`,
        `e2e:report-marks:${ticket}`,
        `e2e:report-impressions:desk:support:${day}`,
        `e2e:report-marks:presence:alice@localhost:${day}`,
      ]),
    );
    const ttls = Object.fromEntries(await Promise.all(keys.map(async (k) => [k, await redis.ttl(k)] as const)));
    for (const [key, ttl] of Object.entries(ttls)) {
      expect(ttl, key).toBeLessThanOrEqual(DAYS * 86_400);
      expect(ttl, key).toBeGreaterThan(DAYS * 86_400 - 120);
    }
    await c.stop();
  });
});
