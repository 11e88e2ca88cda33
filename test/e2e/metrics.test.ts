/**
 * Issue 18 (live metrics and health): a real scrape of /metrics on the running stack is valid
 * Prometheus exposition (`promtool check metrics`), and its gauges move as a customer joins
 * (waiting 0 → 1), is assigned (active chats 1) and leaves (0). /livez, /readyz and /healthz
 * answer; scraping is refused outside the allowed networks (403) and with a wrong token (401).
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xml } from '@xmpp/client';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';
import { isIntro, type TestClient } from '../support/clients.js';
import { promtool } from '../support/promtool.js';

/** One sample's value from the exposition text; undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? '').split(',').filter(Boolean);
    if (want.every((w) => have.includes(w)) && have.length === want.length) return Number(m[3]);
  }
  return undefined;
}

/** A histogram's cumulative buckets (le → count, +Inf last), its sum and count, for one label set. */
function histogram(text: string, name: string, labels: Record<string, string> = {}) {
  const les = [...text.matchAll(new RegExp(`^${name}_bucket\\{([^}]*)\\} `, 'gm'))]
    .map((m) => /le="([^"]+)"/.exec(m[1] ?? '')?.[1] ?? '')
    .filter((le, i, all) => all.indexOf(le) === i);
  const buckets = les.map(
    (le) => [le === '+Inf' ? Infinity : Number(le), sample(text, `${name}_bucket`, { ...labels, le }) ?? NaN] as const,
  );
  return { buckets, sum: sample(text, `${name}_sum`, labels) ?? NaN, count: sample(text, `${name}_count`, labels) ?? NaN };
}
/** Buckets are cumulative and end in +Inf = count. */
function expectWellFormed(h: ReturnType<typeof histogram>): void {
  const counts = h.buckets.map(([, n]) => n);
  expect(counts.every((n, i) => i === 0 || n >= (counts[i - 1] ?? 0))).toBe(true);
  expect(h.buckets.at(-1)).toEqual([Infinity, h.count]);
}

const TOKEN = 'e2e-metrics-token-0123456789';

describe('metrics and health on the running stack', () => {
  let stack: Stack;
  let alice: TestClient;
  const scrape = async () => {
    const res = await fetch(`${stack.httpUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };
  /** Polls the scrape until `check` holds (gauges are read on scrape; the component acts asynchronously). */
  const until = async (what: string, check: (text: string) => boolean): Promise<string> => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const text = await scrape();
      if (check(text)) return text;
      if (Date.now() > deadline)
        throw new Error(
          `metrics never showed: ${what}\n${text
            .split('\n')
            .filter((l) => l.startsWith('madoguchi_'))
            .join('\n')}`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    stack = await startStack({
      operators: [{ user: 'alice', name: 'Alice', desks: ['support'], maxChats: 1 }],
      http: { metrics: { token: TOKEN, allow: ['127.0.0.1/32', '::1/128'] } },
    });
  });
  afterAll(async () => stack?.stop());

  it('/livez, /readyz and its alias /healthz answer 200 with the same body', async () => {
    expect((await fetch(`${stack.httpUrl}/livez`)).status).toBe(200);
    const ready = await fetch(`${stack.httpUrl}/readyz`);
    expect(ready.status).toBe(200);
    const body = await ready.json();
    expect(body).toEqual({ ok: true, redis: true, xmpp: true, routes: true });
    const health = await fetch(`${stack.httpUrl}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, body]);
  });

  it.skipIf(!promtool)('a real scrape passes `promtool check metrics`', async () => {
    const text = await scrape();
    const r = spawnSync(promtool as string, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    const findings = `${r.stdout}${r.stderr}`.split('\n').filter(Boolean);
    expect(findings.join('\n')).not.toMatch(/error|parsing/i); // the exposition parses
    // Lint: only prom-client's own default gauges named *_total (a known naming quirk of prom-client 15), none of ours.
    const KNOWN = /^nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix$/;
    expect(findings.filter((l) => !KNOWN.test(l))).toEqual([]);
    expect(r.status === 0 || (r.status === 3 && findings.length > 0)).toBe(true);
    // and a scrape without the prom-client defaults lints clean
    const ours = text
      .split('\n')
      .filter((l) => /^(# (HELP|TYPE) )?madoguchi_/.test(l))
      .join('\n');
    const clean = spawnSync(promtool as string, ['check', 'metrics'], { input: `${ours}\n`, encoding: 'utf8' });
    expect([clean.status, `${clean.stdout}${clean.stderr}`.trim()]).toEqual([0, '']);
  });

  it('the gauges move as a customer joins, waits, is assigned and leaves', async () => {
    alice = await stack.operator('alice', 'desk', 'away'); // online, takes no new customer
    await alice.subscribeTo(SUPPORT);
    let text = await until('alice away', (t) => sample(t, 'madoguchi_operators_online', { desk: 'support', presence: 'away' }) === 1);
    expect(sample(text, 'madoguchi_waiting_customers', { desk: 'support' })).toBe(0);
    expect(sample(text, 'madoguchi_free_slots', { desk: 'support' })).toBe(0);
    expect(sample(text, 'madoguchi_active_chats')).toBe(0);
    expect(sample(text, 'madoguchi_xmpp_up')).toBe(1);
    expect(sample(text, 'madoguchi_redis_up')).toBe(1);
    const relayedBefore = sample(text, 'madoguchi_stanzas_relayed_total', { direction: 'customer->operator' }) ?? 0;
    const dispatchBefore = histogram(text, 'madoguchi_dispatch_latency_seconds');

    const customer = await stack.customer();
    await customer.say(SUPPORT, 'is anyone there?');
    await customer.message(SUPPORT, /Your ticket is #\d+/);
    text = await until('one waiting', (t) => sample(t, 'madoguchi_waiting_customers', { desk: 'support' }) === 1);
    expect(sample(text, 'madoguchi_active_chats')).toBe(0);

    await alice.send(xml('presence', { to: SUPPORT })); // available: the waiting customer is assigned
    const intro = await alice.next(isIntro, 'intro');
    text = await until('assigned', (t) => sample(t, 'madoguchi_active_chats') === 1);
    expect(sample(text, 'madoguchi_waiting_customers', { desk: 'support' })).toBe(0);
    expect(sample(text, 'madoguchi_operator_active_chats', { operator: 'alice@localhost' })).toBe(1);
    expect(sample(text, 'madoguchi_operators_online', { desk: 'support', presence: 'available' })).toBe(1);
    expect(sample(text, 'madoguchi_free_slots', { desk: 'support' })).toBe(0); // maxChats 1, taken
    expect(sample(text, 'madoguchi_stanzas_relayed_total', { direction: 'customer->operator' })).toBe(relayedBefore + 1); // the buffered message
    expect(sample(text, 'madoguchi_dispatch_latency_seconds_count')).toBeGreaterThan(0);
    expect(sample(text, 'madoguchi_relay_latency_seconds_count', { from: 'customer' })).toBeGreaterThan(0);

    await alice.say(String(intro.attrs.from), 'hello, how can I help?');
    await customer.message(`${SUPPORT}/Alice`, 'hello, how can I help?');
    text = await until('relayed back', (t) => sample(t, 'madoguchi_stanzas_relayed_total', { direction: 'operator->customer' }) === 1);
    expect(sample(text, 'madoguchi_relay_latency_seconds_count', { from: 'operator' })).toBe(1);
    // The histograms' buckets: the one operator message lands in a finite bucket (under 1 s inside
    // the component), with a positive sum; the join and assignment added dispatch runs under 2.5 s.
    const relay = histogram(text, 'madoguchi_relay_latency_seconds', { from: 'operator' });
    expectWellFormed(relay);
    expect(relay.buckets.map(([le]) => le)).toEqual([0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, Infinity]);
    expect(relay.sum).toBeGreaterThan(0);
    expect(relay.sum).toBeLessThan(1);
    const firstFinite = relay.buckets.find(([, n]) => n === 1)?.[0];
    expect(firstFinite).toBeLessThanOrEqual(1); // a finite bucket holds it
    expect(relay.buckets.filter(([le]) => le < relay.sum).every(([, n]) => n === 0)).toBe(true); // and none below its value
    const dispatch = histogram(text, 'madoguchi_dispatch_latency_seconds');
    expectWellFormed(dispatch);
    expect(dispatch.sum).toBeGreaterThan(dispatchBefore.sum);
    const finite = (h: typeof dispatch) => h.buckets.find(([le]) => le === 2.5)?.[1] ?? NaN;
    expect(finite(dispatch) - finite(dispatchBefore)).toBeGreaterThanOrEqual(1);
    expect(finite(dispatch) - finite(dispatchBefore)).toBe(dispatch.count - dispatchBefore.count); // every new run under 2.5 s

    await customer.stop();
    await alice.message(String(intro.attrs.from), /The customer left/, 8000);
    text = await until('chat ended', (t) => sample(t, 'madoguchi_active_chats') === 0);
    expect(sample(text, 'madoguchi_free_slots', { desk: 'support' })).toBe(1);
    expect(sample(text, 'madoguchi_waiting_customers', { desk: 'support' })).toBe(0);
  });

  it('counts refused stanzas by condition, never by customer', async () => {
    const before = sample(await scrape(), 'madoguchi_stanzas_rejected_total', { reason: 'item-not-found' }) ?? 0;
    await alice.say('nobody@support.localhost', 'hello?'); // no such desk or chat
    const text = await until('rejected', (t) => sample(t, 'madoguchi_stanzas_rejected_total', { reason: 'item-not-found' }) === before + 1);
    expect(text).not.toMatch(/guest\.localhost|t\d+-[0-9a-z]{4}/); // no customer or ticket in any label
  });

  it('reports the evidence log: appends, a recent checkpoint, no mirror lag', async () => {
    const text = await until('a checkpoint', (t) => sample(t, 'madoguchi_evidence_checkpoint_age_seconds') !== undefined);
    expect(sample(text, 'madoguchi_evidence_appends_total')).toBeGreaterThan(0);
    expect(sample(text, 'madoguchi_evidence_checkpoint_age_seconds')).toBeLessThan(60);
    // The JSONL mirror catches up: the lag gauge is there, unlabelled, and 0 (every record written).
    expect(text).toMatch(/^# TYPE madoguchi_evidence_mirror_lag_records gauge$/m);
    const caughtUp = await until('mirror caught up', (t) => sample(t, 'madoguchi_evidence_mirror_lag_records') === 0);
    expect(caughtUp.match(/^madoguchi_evidence_mirror_lag_records.*$/gm)).toEqual(['madoguchi_evidence_mirror_lag_records 0']);
  });

  it('from an allowed network no token is needed, and a wrong one does not matter', async () => {
    const ok = await fetch(`${stack.httpUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    const wrong = await fetch(`${stack.httpUrl}/metrics`, { headers: { authorization: 'Bearer not-the-token-0123456789' } });
    expect(wrong.status).toBe(200); // 127.0.0.1 is allowed: the network suffices
  });

  // Last: it stops Redis and restarts Prosody.
  it('shows Redis and the XMPP stream going down and coming back, and counts the reconnects', async () => {
    const startRedis = await stack.stopRedis();
    let text = await until('redis down', (t) => sample(t, 'madoguchi_redis_up') === 0); // the scrape is still served
    expect(sample(text, 'madoguchi_waiting_customers', { desk: 'support' })).toBeUndefined(); // no stale desk figures
    const down = await fetch(`${stack.httpUrl}/readyz`);
    expect([down.status, await down.json()]).toEqual([503, { ok: false, redis: false, xmpp: true, routes: true }]);
    expect((await fetch(`${stack.httpUrl}/healthz`)).status).toBe(503);
    expect((await fetch(`${stack.httpUrl}/livez`)).status).toBe(200);
    await startRedis();
    text = await until('redis back', (t) => sample(t, 'madoguchi_redis_up') === 1);
    expect(sample(text, 'madoguchi_reconnects_total', { link: 'redis' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'madoguchi_reconnects_total', { link: 'xmpp' })).toBe(0);
    expect(sample(text, 'madoguchi_waiting_customers', { desk: 'support' })).toBe(0);

    await stack.restartProsody();
    const deadline = Date.now() + 20_000;
    while (sample(await scrape(), 'madoguchi_reconnects_total', { link: 'xmpp' }) !== 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    text = await until('xmpp back', (t) => sample(t, 'madoguchi_xmpp_up') === 1);
    expect(sample(text, 'madoguchi_reconnects_total', { link: 'xmpp' })).toBe(1);
    expect((await fetch(`${stack.httpUrl}/readyz`)).status).toBe(200);
  }, 40_000);
});

describe('metrics refused outside the allowed networks', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ http: { metrics: { token: TOKEN, allow: ['10.0.0.0/8'] } } });
  });
  afterAll(async () => stack?.stop());

  it('401 without or with a wrong token, 200 with it; health stays open', async () => {
    expect((await fetch(`${stack.httpUrl}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${stack.httpUrl}/metrics`, { headers: { authorization: 'Bearer not-the-token-0123456789' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    const ok = await fetch(`${stack.httpUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^madoguchi_xmpp_up 1$/m);
    expect((await fetch(`${stack.httpUrl}/readyz`)).status).toBe(200);
  });
});

describe('metrics refused outside the allowed networks, no token configured', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ http: { metrics: { allow: ['10.0.0.0/8', '::2/128'] } } });
  });
  afterAll(async () => stack?.stop());

  it('403 for 127.0.0.1, whatever it sends; health stays open', async () => {
    expect((await fetch(`${stack.httpUrl}/metrics`)).status).toBe(403);
    expect((await fetch(`${stack.httpUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(403);
    expect((await fetch(`${stack.httpUrl}/livez`)).status).toBe(200);
    expect((await fetch(`${stack.httpUrl}/readyz`)).status).toBe(200);
  });
});
