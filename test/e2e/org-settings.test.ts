/**
 * Organisational settings as code against the real stack (issue 16): `npm run config -- export`
 * and `import` round-trip; a bad file names the field and changes nothing; a change imported by
 * one process (the CLI) is seen at once by another sharing the Redis (the running component,
 * through the announcement), and recorded in the evidence log as by `import`.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { isIntro, isMessageFrom } from '../support/clients.js';
import { startStack, SUPPORT, type Stack } from '../support/stack.js';

const run = promisify(execFile);

describe('organisational settings as code', () => {
  let stack: Stack;
  const config = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/config.ts', ...args], {
      env: { ...process.env, MADOGUCHI_CONFIG: join(stack.dir, 'config.yaml') },
    });
  const failing = (...args: string[]) =>
    config(...args).then(
      () => {
        throw new Error('expected the command to fail');
      },
      (err: { code: number; stderr: string }) => err,
    );
  const form = async (desk: string) =>
    ((await (await fetch(`${stack.httpUrl}/api/widget/form?desk=${desk}`)).json()) as { fields: { var: string }[] }).fields.map(
      (f) => f.var,
    );

  /** The settings revision in Redis: what "changes nothing" is checked by (each CLI run costs seconds). */
  const rev = async () => {
    const redis = new Redis(stack.redisUrl);
    try {
      return Number(await redis.get('e2e:org:rev'));
    } finally {
      redis.disconnect();
    }
  };
  let exported = '';

  beforeAll(async () => {
    stack = await startStack();
  }, 60_000);
  afterAll(() => stack?.stop());

  it('exports the seeded settings, and importing the export changes nothing', async () => {
    const { stdout } = await config('export');
    exported = stdout;
    const org = parse(stdout) as Record<string, unknown>;
    expect((org.desks as { id: string; name: string }[]).map((d) => [d.id, d.name])).toEqual([
      ['support', 'Support'],
      ['sales', 'Sales'],
    ]);
    expect((org.operators as { jid: string }[]).map((o) => o.jid)).toEqual(['alice@localhost', 'bob@localhost']);
    expect(org.routing).toMatchObject({ graceSeconds: 2, reassignUnansweredSeconds: 0 });
    const file = join(stack.dir, 'org.yaml');
    writeFileSync(file, stdout);
    const seeded = await rev();
    const again = await config('import', file);
    expect(again.stdout).toBe(`imported ${file}: no change (settings rev ${seeded})\n`);
    expect(await rev()).toBe(seeded);
  });

  it('a bad file names the field and changes nothing', async () => {
    const before = await rev();
    const org = parse(exported) as { operators: { desks: string[] }[] };
    (org.operators[1] as { desks: string[] }).desks = ['support', 'nope'];
    const file = join(stack.dir, 'bad.yaml');
    writeFileSync(file, stringify(org));
    const err = await failing('import', file);
    expect(err.code).toBe(2);
    expect(err.stderr).toContain('operators.1.desks.1: unknown desk "nope"');
    expect(await rev()).toBe(before);
  });

  it('an import by another process takes effect in the running component at once, recorded as by import', async () => {
    const org = parse(exported) as {
      desks: { id: string; name: string; form?: unknown[] }[];
    };
    const sales = org.desks.find((d) => d.id === 'sales') as { name: string; form?: unknown[] };
    sales.name = 'Sales & Quotes';
    sales.form = [
      { var: 'name', label: 'Name', type: 'text', required: true },
      { var: 'company', label: 'Company', labelJa: '会社名', type: 'text', required: true },
    ];
    const file = join(stack.dir, 'org2.yaml');
    writeFileSync(file, stringify(org));
    expect(await form('sales')).toEqual(['name', 'email', 'question']);
    const { stdout } = await config('import', file);
    expect(stdout).toMatch(/: 1 created, 1 updated, 0 removed \(settings rev \d+\)/); // form/sales, desk/sales
    await expect.poll(() => form('sales'), { timeout: 3000 }).toEqual(['name', 'company']);
    expect(await form('support')).toEqual(['name', 'email', 'question']);
    const status = (await stack.status()) as { desks: { desk: string; name?: string }[] };
    expect(status.desks.find((d) => d.desk === 'sales')?.name).toBe('Sales & Quotes');

    const redis = new Redis(stack.redisUrl);
    try {
      const audit = (await redis.lrange('e2e:org:audit', 0, 1)).map((j) => JSON.parse(j) as Record<string, unknown>);
      expect(audit.map((a) => [a.by, a.kind, a.id, a.action]).sort()).toEqual([
        ['import', 'desk', 'sales', 'update'],
        ['import', 'form', 'sales', 'create'],
      ]);
      expect(audit.every((a) => typeof a.seq === 'number' && a.seq > 0)).toBe(true);
      expect(audit.find((a) => a.kind === 'desk')).toMatchObject({ old: { name: 'Sales' }, new: { name: 'Sales & Quotes' } });
    } finally {
      redis.disconnect();
    }
  });

  it('applies an import made while the component was down when it comes back: the removed operator’s chat is requeued', async () => {
    const bob = await stack.operator('bob');
    await bob.subscribeTo(SUPPORT);
    const customer = await stack.customer();
    await customer.say(SUPPORT, 'Is anyone there?');
    await bob.next(isIntro, 'the chat reaches Bob');
    await customer.message(`${SUPPORT}/Bob`, /Bob has joined/);

    await stack.stopComponent();
    const org = parse(exported) as { operators: { jid: string }[] };
    org.operators = org.operators.filter((o) => o.jid !== 'bob@localhost');
    const file = join(stack.dir, 'org3.yaml');
    writeFileSync(file, stringify(org));
    expect((await config('import', file)).stdout).toMatch(/, 2 removed \(/); // bob, and the sales form of the test before
    await stack.startComponent();

    const told = await customer.next(isMessageFrom(SUPPORT, /no longer available/), 'the customer told', 10_000);
    expect(told.getChildText('body')).toMatch(/^Your operator is no longer available\. Ticket #\d+ is back at the head of the line/);
    const toBob = await bob.next(
      (el) => el.name === 'message' && /went back to the Support queue/.test(el.getChildText('body') ?? ''),
      'Bob told',
    );
    expect(String(toBob.attrs.from)).toMatch(/^t\d+-[a-z0-9]{4}@support\.localhost$/); // from the chat's masked JID
    await expect.poll(async () => (await stack.status()).desks.find((d) => d.desk === 'support')?.waiting, { timeout: 5000 }).toBe(1);
  }, 60_000);
});
