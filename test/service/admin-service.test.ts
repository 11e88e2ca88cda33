/**
 * The admin service (issue 16) in-process over a real Redis: list/get/put/remove with roles from
 * the live settings, validation naming the entity and field, and the version check.
 */
import { describe, expect, it } from 'vitest';
import { createEvidenceLog, type EvidenceLog } from '../../component/evidence/evidence-log.js';
import { generateEvidenceKeyPair } from '../../component/evidence/key-pair.js';
import { useDesk } from './desk-harness.js';

const STAFF = {
  operators: [
    { jid: 'alice@localhost', name: 'Alice', desks: ['support', 'sales'], role: 'admin' },
    { jid: 'bob@localhost', name: 'Bob', desks: ['support'], role: 'supervisor' },
    { jid: 'carol@localhost', name: 'Carol', desks: ['sales'], role: 'operator' },
  ],
};
const alice = { jid: 'alice@localhost' };
const bob = { jid: 'bob@localhost' };
const carol = { jid: 'carol@localhost' };

const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return { code: (err as { code?: string }).code, message: (err as Error).message };
  }
  throw new Error('expected a refusal');
};

describe('admin service', () => {
  const harness = useDesk();

  it('lists the seeded settings, creates a desk the directory then knows, and refuses a stale revision', async () => {
    const { desk } = harness.open(STAFF);
    const desks = await desk.admin.list(alice, 'desk');
    expect(desks.map((d) => d.id)).toEqual(['support', 'sales']);
    expect(desks[0]?.rev).toBeGreaterThan(0);
    expect(desk.directory.desk('billing')).toBeUndefined();

    const created = await desk.admin.put(alice, 'desk', 'billing', { name: 'Billing' }, 0);
    expect(created).toMatchObject({ kind: 'desk', id: 'billing', value: { id: 'billing', name: 'Billing', timeZone: 'UTC' } });
    expect(desk.directory.desk('billing')?.name).toBe('Billing');
    expect((await desk.admin.get(alice, 'desk', 'billing'))?.rev).toBe(created.rev);

    // a second admin who read before the create
    expect(await refusal(desk.admin.put(alice, 'desk', 'billing', { name: 'Accounts' }, 0))).toEqual({
      code: 'conflict',
      message: `someone else changed desk/billing (now rev ${created.rev}); reload`,
    });
    const renamed = await desk.admin.put(alice, 'desk', 'billing', { name: 'Accounts' }, created.rev);
    expect(renamed.rev).toBeGreaterThan(created.rev);
    expect(desk.directory.desk('billing')?.name).toBe('Accounts');

    await desk.admin.remove(alice, 'desk', 'billing', renamed.rev);
    expect(desk.directory.desk('billing')).toBeUndefined();
    expect(await desk.admin.get(alice, 'desk', 'billing')).toBeUndefined();

    const audit = await desk.admin.audit(alice, { limit: 3 });
    expect(audit.map((a) => [a.by, a.kind, a.id, a.action])).toEqual([
      ['alice@localhost', 'desk', 'billing', 'delete'],
      ['alice@localhost', 'desk', 'billing', 'update'],
      ['alice@localhost', 'desk', 'billing', 'create'],
    ]);
    expect(audit[1]).toMatchObject({ old: { name: 'Billing' }, new: { name: 'Accounts' } });
  });

  it('saves two admins’ changes to different entities made at the same moment (re-validated, retried)', async () => {
    const { desk } = harness.open(STAFF);
    const [one, two] = await Promise.all([
      desk.admin.put(alice, 'desk', 'billing', { name: 'Billing' }, 0),
      desk.admin.put(alice, 'canned', 'support', { thanks: 'Thank you, {customer}!' }, 0),
    ]);
    expect(new Set([one.rev, two.rev]).size).toBe(2);
    expect(desk.directory.desk('billing')?.name).toBe('Billing');
    expect(desk.directory.canned('support').thanks).toBe('Thank you, {customer}!');
    // and a change that is only valid with the other's: the operator's new desk exists once both are in
    const carolNow = await desk.admin.get(alice, 'operator', 'carol@localhost');
    await desk.admin.put(alice, 'operator', 'carol@localhost', { ...carolNow?.value, desks: ['sales', 'billing'] }, carolNow?.rev ?? 0);
    expect(desk.directory.operatorsOfDesk('billing')).toEqual(['carol@localhost']);
  });

  it('names the entity and the field of bad input, and saves nothing', async () => {
    const { desk } = harness.open(STAFF);
    await desk.admin.list(alice, 'desk'); // seeded
    const rev = desk.admin.snapshot().rev;
    expect(rev).toBeGreaterThan(0);
    expect(await refusal(desk.admin.put(alice, 'operator', 'dave@localhost', { name: 'Dave', desks: ['nope'] }, 0))).toEqual({
      code: 'bad-request',
      message: 'operator/dave@localhost: desks.0: unknown desk "nope"',
    });
    expect(
      await refusal(desk.admin.put(alice, 'operator', 'dave@localhost', { name: 'Dave', desks: ['support'], maxChats: 12 }, 0)),
    ).toEqual({
      code: 'bad-request',
      message: 'operator/dave@localhost: maxChats: Too big: expected number to be <=9',
    });
    expect((await refusal(desk.admin.put(alice, 'widget', 'default', { title: 'x' }, 0))).message).toMatch(/^widget\/default: colors: /);
    const sales = await desk.admin.get(alice, 'desk', 'sales');
    expect(await refusal(desk.admin.remove(alice, 'desk', 'sales', sales?.rev ?? 0))).toEqual({
      code: 'bad-request',
      message: 'operator/alice@localhost: desks.1: unknown desk "sales"',
    });
    expect(desk.admin.snapshot().rev).toBe(rev);
    expect(desk.directory.operator('dave@localhost')).toBeUndefined();
  });

  it('lets supervisors read their desks only, and refuses operators and strangers', async () => {
    const { desk } = harness.open(STAFF);
    expect(desk.admin.roleOf(bob)).toBe('supervisor');
    expect((await desk.admin.list(bob, 'desk')).map((d) => d.id)).toEqual(['support']);
    expect((await desk.admin.list(bob, 'operator')).map((o) => o.id)).toEqual(['alice@localhost', 'bob@localhost']);
    expect(await desk.admin.get(bob, 'desk', 'sales')).toBeUndefined();
    expect((await refusal(desk.admin.put(bob, 'desk', 'support', { name: 'Help' }, 1))).code).toBe('forbidden');
    expect((await refusal(desk.admin.list(carol, 'desk'))).code).toBe('forbidden');
    expect((await refusal(desk.admin.list({ jid: 'mallory@evil.example' }, 'canned'))).code).toBe('forbidden');
    expect((await refusal(desk.admin.audit(bob, { limit: 5 }))).code).toBe('forbidden');
  });

  it('removing an admin role revokes it at once, but never the last admin', async () => {
    const { desk } = harness.open(STAFF);
    const a = await desk.admin.get(alice, 'operator', 'alice@localhost');
    expect(
      (await refusal(desk.admin.put(alice, 'operator', 'alice@localhost', { ...a?.value, role: 'operator' }, a?.rev ?? 0))).message,
    ).toBe('operator/alice@localhost: role: this would leave no admin (or set MADOGUCHI_ADMIN)');
    const b = await desk.admin.get(alice, 'operator', 'bob@localhost');
    await desk.admin.put(alice, 'operator', 'bob@localhost', { ...b?.value, role: 'admin' }, b?.rev ?? 0);
    expect(desk.admin.roleOf(bob)).toBe('admin');
    const a2 = await desk.admin.get(bob, 'operator', 'alice@localhost');
    await desk.admin.put(bob, 'operator', 'alice@localhost', { ...a2?.value, role: 'operator' }, a2?.rev ?? 0);
    expect((await refusal(desk.admin.list(alice, 'desk'))).code).toBe('forbidden');
  });

  it('records each change in the evidence log (who, old → new) and names the record in the audit list', async () => {
    let log: EvidenceLog | undefined;
    const { desk } = harness.open(STAFF, {
      evidence: (redis, prefix) => {
        log = createEvidenceLog({ redis, prefix, keyPair: generateEvidenceKeyPair(), checkpointMs: 60_000 });
        return log;
      },
    });
    const routing = await desk.admin.get(alice, 'routing', 'default');
    await desk.admin.put(alice, 'routing', 'default', { ...routing?.value, graceSeconds: 5 }, routing?.rev ?? 0);
    expect(desk.directory.routing().graceSeconds).toBe(5);
    const [entry] = await desk.admin.audit(alice, { limit: 1 });
    expect(entry).toMatchObject({ by: 'alice@localhost', kind: 'routing', id: 'default', action: 'update' });
    const record = (await log?.store.entries([entry?.seq ?? 0]))?.[0];
    expect(record?.kind).toBe('settings');
    expect((record?.content as { data?: unknown } | undefined)?.data).toEqual({
      by: 'alice@localhost',
      kind: 'routing',
      id: 'default',
      action: 'update',
      old: routing?.value,
      new: { ...routing?.value, graceSeconds: 5 },
    });
    // the seed was recorded too, by `seed`
    const seeded = await desk.admin.audit(alice, { limit: 100, beforeSeq: entry?.seq });
    expect(seeded.length).toBeGreaterThan(5);
    expect(new Set(seeded.map((a) => a.by))).toEqual(new Set(['seed']));
  });

  it('lists bans (supervisors: their desks) and lets admins lift one, recorded', async () => {
    const { desk, store } = harness.open(STAFF);
    await store.customers.ban('tok:1111', { by: 'bob@localhost', reason: 'spam', at: Date.UTC(2026, 0, 2), ticket: 7, desk: 'support' });
    await store.customers.ban('tok:2222', { by: 'alice@localhost', reason: '', at: Date.UTC(2026, 0, 3), ticket: 9, desk: 'sales' });
    await store.customers.ban('yuki@example.org', {
      by: 'alice@localhost',
      reason: 'abuse',
      at: Date.UTC(2026, 0, 1),
      ticket: 3,
      desk: 'sales',
    });
    expect(await desk.admin.bans(alice)).toEqual([
      { ticket: 9, customerKey: 'tok:2222', by: 'alice@localhost', at: '2026-01-03T00:00:00.000Z' },
      { ticket: 7, customerKey: 'tok:1111', by: 'bob@localhost', reason: 'spam', at: '2026-01-02T00:00:00.000Z' },
      {
        ticket: 3,
        customerKey: expect.stringMatching(/^jid:[0-9a-f]{32}$/),
        by: 'alice@localhost',
        reason: 'abuse',
        at: '2026-01-01T00:00:00.000Z',
      },
    ]);
    // an XMPP customer's address is never shown to staff: the key is a hash, and unban takes it
    const jidBan = (await desk.admin.bans(alice))[2]?.customerKey as string;
    expect(JSON.stringify(await desk.admin.bans(alice))).not.toContain('yuki');
    await desk.admin.unban(alice, jidBan);
    expect(await store.customers.banRecord('yuki@example.org')).toBeUndefined();
    expect((await desk.admin.bans(bob)).map((b) => b.customerKey)).toEqual(['tok:1111']);
    expect((await refusal(desk.admin.unban(bob, 'tok:1111'))).code).toBe('forbidden');
    expect((await refusal(desk.admin.bans(carol))).code).toBe('forbidden');
    await desk.admin.unban(alice, 'tok:1111');
    expect(await store.customers.banRecord('tok:1111')).toBeUndefined();
    expect((await desk.admin.audit(alice, { limit: 1 }))[0]).toMatchObject({
      by: 'alice@localhost',
      kind: 'ban',
      id: 'tok:1111',
      action: 'delete',
      new: null,
    });
    expect((await refusal(desk.admin.unban(alice, 'tok:1111'))).message).toBe('ban/tok:1111: not banned');
  });
});
