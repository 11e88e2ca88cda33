/**
 * Issue #5 end to end (transcripts): a real conversation through Prosody; the operator's
 * XEP-0313 archive (fetched with @xmpp/client) and the admin API give back exactly what the
 * clients saw (bodies, order, from-addresses); another operator gets forbidden or nothing;
 * the ticket's bundle verifies offline and names an edited entry; a redacted session still
 * verifies.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIntro, type TestClient } from '../support/clients.js';
import { ADMIN_TOKEN, startStack, SUPPORT, type Stack } from '../support/stack.js';

const run = promisify(execFile);
const NS_MAM = 'urn:xmpp:mam:2';
const NS_RSM = 'http://jabber.org/protocol/rsm';
let counter = 0;

async function verify(file: string, keyFile: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/verify-log.ts', file, '--public-key', keyFile]);
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

interface Seen {
  from: string;
  body: string;
}

/** Keeps every stanza the client gets, even those the test has taken out of its inbox. */
function recordAll(client: TestClient): Element[] {
  const all: Element[] = [];
  const push = client.inbox.push.bind(client.inbox);
  client.inbox.push = (...els: Element[]) => {
    all.push(...els);
    return push(...els);
  };
  return all;
}

async function mam(client: TestClient, to: string, opts: { max?: number; after?: string; before?: string; with?: string } = {}) {
  const queryid = `q${++counter}`;
  const id = `mam-${counter}`;
  const query = xml('query', { xmlns: NS_MAM, queryid });
  if (opts.with) {
    query.append(
      xml(
        'x',
        { xmlns: 'jabber:x:data', type: 'submit' },
        xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, NS_MAM)),
        xml('field', { var: 'with' }, xml('value', {}, opts.with)),
      ),
    );
  }
  if (opts.max !== undefined || opts.after !== undefined || opts.before !== undefined) {
    const set = xml('set', { xmlns: NS_RSM });
    if (opts.max !== undefined) set.append(xml('max', {}, String(opts.max)));
    if (opts.after !== undefined) set.append(xml('after', {}, opts.after));
    if (opts.before !== undefined) set.append(xml('before', {}, opts.before));
    query.append(set);
  }
  await client.send(xml('iq', { type: 'set', to, id }, query));
  const reply = await client.next((el) => el.name === 'iq' && el.attrs.id === id, `MAM reply ${id}`);
  const results: Element[] = [];
  for (let i = client.inbox.length - 1; i >= 0; i--) {
    const el = client.inbox[i] as Element;
    if (el.name === 'message' && el.getChild('result', NS_MAM)?.attrs.queryid === queryid) results.unshift(...client.inbox.splice(i, 1));
  }
  const items = results.map((r) => {
    const result = r.getChild('result', NS_MAM) as Element;
    const fwd = result.getChild('forwarded', 'urn:xmpp:forward:0') as Element;
    const m = fwd.getChild('message') as Element;
    return {
      id: String(result.attrs.id),
      from: String(m.attrs.from),
      to: String(m.attrs.to),
      body: m.getChildText('body') ?? '',
      stamp: fwd.getChild('delay')?.attrs.stamp,
      archive: r.attrs.from,
    };
  });
  const fin = reply.getChild('fin', NS_MAM);
  return { reply, items, fin, error: reply.getChild('error')?.getChildElements()[0]?.name };
}

const api = (stack: Stack, path: string, init: RequestInit & { token?: string | null } = {}) =>
  fetch(`${stack.httpUrl}${path}`, {
    ...init,
    headers: { ...(init.token === null ? {} : { authorization: `Bearer ${init.token ?? ADMIN_TOKEN}` }), ...(init.headers ?? {}) },
  });

describe('transcripts through a real conversation', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      operators: [
        { user: 'alice', name: 'Alice', desks: ['support', 'sales'], role: 'admin' },
        { user: 'bob', name: 'Bob', desks: ['support'] },
        { user: 'carol', name: 'Carol', desks: ['support'] },
      ],
    });
  });
  afterAll(async () => stack?.stop());

  it('MAM and the API give back what the clients saw; others are refused; bundles verify; redaction keeps the proof', async () => {
    const bob = await stack.operator('bob');
    await bob.subscribeTo(SUPPORT);
    const bobSaw: Seen[] = [];
    const customer = await stack.customer();
    const customerGot = recordAll(customer);
    const customerSaid: string[] = [];
    const say = async (body: string, extra: Element[] = []) => {
      customerSaid.push(body);
      await customer.say(SUPPORT, body, extra);
    };

    await say('mam: my order is late', [xml('origin-id', { xmlns: 'urn:xmpp:sid:0', id: 'origin-first' })]);
    const intro = await bob.next(isIntro, 'intro');
    const m = intro.attrs.from as string;
    const ticket = Number(/^t(\d+)-/.exec(m)?.[1]);
    bobSaw.push({ from: m, body: intro.getChildText('body') as string });
    bobSaw.push({ from: m, body: (await bob.message(m, 'mam: my order is late')).getChildText('body') as string });
    await customer.message(`${SUPPORT}/Bob`, 'Bob has joined');
    await bob.say(m, 'mam: sorry, checking now');
    bobSaw.push({ from: 'bob@localhost', body: 'mam: sorry, checking now' });
    await customer.message(`${SUPPORT}/Bob`, 'mam: sorry, checking now');
    await say('mam: thank you');
    bobSaw.push({ from: m, body: (await bob.message(m, 'mam: thank you')).getChildText('body') as string });
    await bob.say(m, '!end');
    bobSaw.push({ from: m, body: (await bob.message(m, `Chat #${ticket} ended`)).getChildText('body') as string });
    await customer.message(`${SUPPORT}/Bob`, 'ended the chat');

    // The operator's archive on the masked JID: exactly the chat as Bob's client had it.
    const chat = await mam(bob, m);
    expect(chat.error).toBeUndefined();
    expect(chat.items.map(({ from, body }) => ({ from, body }))).toEqual(bobSaw);
    expect(chat.items.every((i) => i.archive === m && /Z$/.test(String(i.stamp)))).toBe(true);
    expect(JSON.stringify(chat.items)).not.toContain('guest.localhost');
    expect(chat.fin?.attrs.complete).toBe('true');
    expect(chat.fin?.getChild('set', NS_RSM)?.getChildText('count')).toBe(String(bobSaw.length));

    // The desk archive holds Bob's chats there; RSM pages through it.
    const desk = await mam(bob, SUPPORT, { with: m });
    expect(desk.items.map((i) => i.body)).toEqual(bobSaw.map((s) => s.body));
    const page1 = await mam(bob, SUPPORT, { max: 2 });
    expect(page1.items.map((i) => i.body)).toEqual(bobSaw.slice(0, 2).map((s) => s.body));
    expect(page1.fin?.attrs.complete).toBeUndefined();
    const last = page1.fin?.getChild('set', NS_RSM)?.getChildText('last') as string;
    const page2 = await mam(bob, SUPPORT, { max: 10, after: last });
    expect(page2.items.map((i) => i.body)).toEqual(bobSaw.slice(2).map((s) => s.body));
    const lastPage = await mam(bob, SUPPORT, { max: 1, before: '' });
    expect(lastPage.items.map((i) => i.body)).toEqual([bobSaw[bobSaw.length - 1]?.body]);

    // Another operator: forbidden on the chat, nothing of it on the desk; a stranger: forbidden.
    const carol = await stack.operator('carol');
    expect((await mam(carol, m)).error).toBe('forbidden');
    const carolDesk = await mam(carol, SUPPORT);
    expect(carolDesk.items).toEqual([]);
    expect(carolDesk.fin?.getChild('set', NS_RSM)?.getChildText('count')).toBe('0');
    const mallory = await stack.operator('mallory');
    expect((await mam(mallory, m)).error).toBe('forbidden');
    expect((await mam(bob, SUPPORT, { max: 1, after: 'nope' })).error).toBe('item-not-found');
    const bad = await bob.send(
      xml(
        'iq',
        { type: 'set', to: SUPPORT, id: 'badform' },
        xml(
          'query',
          { xmlns: NS_MAM },
          xml('x', { xmlns: 'jabber:x:data', type: 'submit' }, xml('field', { var: 'start' }, xml('value', {}, 'yesterday'))),
        ),
      ),
    );
    void bad;
    const badReply = await bob.next((el) => el.attrs.id === 'badform', 'bad form reply');
    expect(badReply.getChild('error')?.getChild('bad-request')).toBeDefined();
    const disco = await bob.send(
      xml('iq', { type: 'get', to: SUPPORT, id: 'disco1' }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' })),
    );
    void disco;
    const info = await bob.next((el) => el.attrs.id === 'disco1', 'disco#info');
    expect(info.toString()).toContain(`var="${NS_MAM}"`);

    // The admin API: 401 without or with a wrong token; the transcript is what both sides saw.
    expect((await api(stack, `/api/transcripts/${ticket}`, { token: null })).status).toBe(401);
    expect((await api(stack, `/api/transcripts/${ticket}`, { token: 'wrong-token-0123456789' })).status).toBe(401);
    const session = (await (await api(stack, `/api/transcripts/${ticket}`)).json()) as {
      ticket: number;
      desk: string;
      operators: { jid: string; name: string }[];
      lines: { from: string; direction: string; body?: string; name?: string; id?: string }[];
    };
    expect(session).toMatchObject({ ticket, desk: 'support', operators: [{ jid: 'bob@localhost', name: 'Bob' }] });
    const toCustomer = session.lines
      .filter((l) => l.direction === 'desk->customer' || l.direction === 'operator->customer')
      .map((l) => l.body);
    const gotByCustomer = customerGot
      .filter((el) => el.name === 'message' && String(el.attrs.from).startsWith(SUPPORT) && el.getChildText('body'))
      .map((el) => el.getChildText('body'));
    expect(toCustomer.length).toBeGreaterThanOrEqual(4); // welcome, joined, the answer, the end
    expect(toCustomer).toEqual(gotByCustomer);
    expect(session.lines.filter((l) => l.from === 'customer').map((l) => l.body)).toEqual(customerSaid);
    expect(session.lines.find((l) => l.from === 'customer')?.id).toBe('origin-first');
    expect(session.lines.find((l) => l.from === 'operator')).toMatchObject({ name: 'Bob', body: 'mam: sorry, checking now' });
    const found = (await (await api(stack, '/api/transcripts?operator=Bob&text=order%20is%20late&desk=support')).json()) as {
      sessions: { ticket: number }[];
    };
    expect(found.sessions.map((s) => s.ticket)).toEqual([ticket]);
    expect((await api(stack, '/api/transcripts?from=tomorrow')).status).toBe(400);
    expect((await api(stack, '/api/transcripts/99999')).status).toBe(404);

    // The bundle verifies offline with the public key alone; one edited byte names the entry.
    const keyFile = join(stack.dir, 'public-key.pem');
    writeFileSync(keyFile, await (await fetch(`${stack.httpUrl}/api/evidence/public-key`)).text());
    const bundle = await (await api(stack, `/api/transcripts/${ticket}/bundle`)).text();
    const bundleFile = join(stack.dir, `ticket-${ticket}.bundle.jsonl`);
    writeFileSync(bundleFile, bundle);
    const ok = await verify(bundleFile, keyFile);
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain(`signed bundle of ticket ${ticket}`);
    const line = bundle.split('\n').find((l) => l.includes('mam: sorry, checking now') && l.includes('operator->customer')) as string;
    const seq = (JSON.parse(line) as { seq: number }).seq;
    writeFileSync(bundleFile, bundle.replace(line, line.replace('checking now', 'checking nOw')));
    const tampered = await verify(bundleFile, keyFile);
    expect(tampered.code).toBe(1);
    expect(tampered.out).toContain(`first bad entry: seq ${seq}`);

    // Redaction: content gone everywhere, the redaction logged, the bundle still verifies.
    expect((await api(stack, `/api/transcripts/${ticket}/redact`, { method: 'POST', token: null })).status).toBe(401);
    const redact = await api(stack, `/api/transcripts/${ticket}/redact`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'erasure request 2026-11' }),
    });
    expect(redact.status).toBe(200);
    expect(((await redact.json()) as { redacted: number[] }).redacted.length).toBeGreaterThan(5);
    const after = (await (await api(stack, `/api/transcripts/${ticket}`)).json()) as {
      lines: { redacted?: boolean; body?: string; kind: string }[];
    };
    const content = after.lines.filter((l) => l.kind !== 'redaction');
    expect(content.length).toBeGreaterThan(0);
    expect(content.every((l) => l.redacted === true && l.body === undefined)).toBe(true);
    expect(JSON.stringify(after)).not.toContain('mam: ');
    expect((await mam(bob, m)).items).toEqual([]);
    const redactedBundle = await (await api(stack, `/api/transcripts/${ticket}/bundle`)).text();
    expect(redactedBundle).not.toContain('mam: ');
    writeFileSync(bundleFile, redactedBundle);
    const still = await verify(bundleFile, keyFile);
    expect(still.code, still.out).toBe(0);
    expect(still.out).toMatch(/redacted: [1-9]/);

    // The whole log on disk, too: a clean stop signs the last checkpoint; it verifies, redactions included.
    await stack.stopComponent();
    const whole = await verify(join(stack.dir, 'evidence', 'log'), keyFile);
    expect(whole.code, whole.out).toBe(0);
    expect(whole.out).toContain('chain: intact from genesis');
    await stack.startComponent(); // leave the stack as stop() expects it
  });
});
