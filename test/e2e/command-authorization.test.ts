/**
 * Issue 14 item 4: who may run which command where. One table of command × role × relation to
 * the chat or desk → allowed (with its effect) or refused (forbidden, with its text), asserted
 * cell by cell through both doors: `!` text messages and XEP-0050 ad-hoc commands.
 * Cast: Otto (operator, support), Bob (supervisor, support), Alice (admin, configured for
 * support only: admins act everywhere), Carol (operator, sales: owns the other desk's chats),
 * mallory (no operator at all).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { startStack, SALES, SUPPORT, type Stack } from '../support/stack.js';
import { errorConditionOf, type TestClient } from '../support/clients.js';
import { adhoc, adhocNote, NS_COMMANDS } from '../support/adhoc.js';
import { bodyOf, createAuthzWorld, type Chat } from '../support/authz-world.js';

type Role = 'operator' | 'supervisor' | 'admin';
type Door = 'text' | 'ad-hoc';
type Relation = 'own chat' | "other's chat, own desk" | 'chat at other desk' | 'own desk' | 'other desk' | 'ban placed at other desk';
/** allowed, or the reason of the refusal (always `forbidden`). */
type Expect = 'allowed' | 'not your chat' | 'role' | 'desk' | 'ticket' | 'ban desk' | 'not an operator';
const A = 'allowed';
const CHAT_COMMANDS = ['info', 'note', 'canned', 'sticker', 'peek', 'end', 'transfer', 'ban'];
const DESK_COMMANDS = ['help', 'queue', 'staff', 'max', 'stats', 'tickets'];

/** [command, relation, operator, supervisor, admin]. The README's "Who may do what", cell by cell. */
const TABLE: [string, Relation, Expect, Expect, Expect][] = [
  ...CHAT_COMMANDS.flatMap((c): [string, Relation, Expect, Expect, Expect][] => [
    [c, 'own chat', A, A, A],
    [c, "other's chat, own desk", 'not your chat', 'not your chat', 'not your chat'],
    [c, 'chat at other desk', 'not your chat', 'not your chat', 'not your chat'],
  ]),
  ...DESK_COMMANDS.flatMap((c): [string, Relation, Expect, Expect, Expect][] => [
    [c, 'own desk', A, A, A],
    [c, 'other desk', 'desk', 'desk', A],
  ]),
  ['pick', 'own desk', A, A, A],
  ['pick', 'other desk', 'ticket', 'ticket', 'ticket'], // picking is serving: the desks you serve
  ['reply', 'own desk', A, A, A],
  ['reply', 'other desk', 'ticket', 'ticket', A],
  ...['monitor', 'whisper', 'takeover'].flatMap((c): [string, Relation, Expect, Expect, Expect][] => [
    [c, "other's chat, own desk", 'role', A, A],
    [c, 'chat at other desk', 'role', 'ticket', A],
  ]),
  ['unban', 'own desk', A, A, A],
  ['unban', 'other desk', 'ticket', 'ticket', A],
  ['unban', 'ban placed at other desk', 'ban desk', 'ban desk', A],
  // Switched off here (on would close the desk for the cells after it): the check is the same.
  ['closed', 'own desk', 'role', A, A],
  ['closed', 'other desk', 'role', 'desk', A],
];
const ARGS: Record<string, (n: number) => Record<string, string>> = {
  note: () => ({ text: 'authz note' }),
  canned: () => ({ name: '' }),
  sticker: () => ({ name: '' }),
  transfer: () => ({ target: 'sales' }),
  ban: () => ({ reason: 'authz' }),
  max: () => ({ max: '9' }),
  pick: (n) => ({ ticket: String(n) }),
  reply: (n) => ({ ticket: String(n), text: 'authz reply' }),
  monitor: (n) => ({ ticket: String(n) }),
  whisper: (n) => ({ ticket: String(n), text: 'psst' }),
  takeover: (n) => ({ ticket: String(n) }),
  unban: (n) => ({ ticket: String(n) }),
  closed: () => ({ state: 'off' }),
};
/** What the invoker reads when the command ran (the `!` reply or the ad-hoc note); `null`: no reply text. */
const ANSWER: Record<string, (n: number) => RegExp | null> = {
  info: (n) => new RegExp(`^Ticket #${n} — Customer #${n} — desk Support`),
  note: (n) => new RegExp(`^Note added to Customer #${n}\\.$`),
  canned: () => /^hello: Hello \{customer\}/,
  sticker: () => /^No stickers configured\.$/,
  peek: () => /has no draft right now/,
  end: () => null,
  transfer: (n) => new RegExp(`^Chat #${n} went back to the Sales queue, at its head\\.$`),
  ban: (n) => new RegExp(`^Customer of ticket #${n} is blacklisted \\(authz\\)\\.`),
  help: () => /!queue — who is waiting at your desks/,
  queue: () => /^Nobody is waiting\.$|Take one with !pick/,
  staff: () => /^\S+ — \S+ — \d+\/\d+/m,
  max: () => /^You now take up to 9 chats at once\.$/,
  stats: () => /^You \(\d{4}-\d\d-\d\d\): /,
  tickets: () => /^Open offline messages|^No open offline messages\.$/,
  pick: () => null,
  reply: (n) => new RegExp(`^Reply to #${n} sent`),
  monitor: (n) => new RegExp(`^(Monitoring|Stopped monitoring) ticket #${n}\\b`),
  whisper: () => /^Whispered to (Otto|Carol)\.$/,
  takeover: () => null,
  unban: (n) => new RegExp(`^The customer of ticket #${n} may write again\\.$`),
  closed: () => /^(Support|Sales) is open again\.$/,
};
const REFUSAL: Record<Exclude<Expect, 'allowed'>, (cmd: string, n: number) => string> = {
  'not your chat': () => 'This chat is not assigned to you',
  role: (cmd) => `!${cmd} needs the supervisor role`,
  desk: () => 'You are not an operator of Sales',
  ticket: (_, n) => `Ticket #${n} is at Sales, not one of your desks`,
  'ban desk': (_, n) => `The customer of ticket #${n} was blacklisted at Sales, not one of your desks`,
  'not an operator': () => "Only the desk's operators may do this",
};
const STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
const errorTextOf = (el: Element) => el.getChild('error')?.getChildText('text', STANZAS) ?? '';

describe('command authorization: command × role × relation, both doors', () => {
  let stack: Stack;
  const who = {} as Record<Role | 'carol' | 'mallory', TestClient>;
  let world: ReturnType<typeof createAuthzWorld>;
  let seq = 0;

  beforeAll(async () => {
    stack = await startStack({
      operators: [
        { user: 'otto', name: 'Otto', desks: ['support'], maxChats: 9, role: 'operator' },
        { user: 'bob', name: 'Bob', desks: ['support'], maxChats: 9, role: 'supervisor' },
        { user: 'alice', name: 'Alice', desks: ['support'], maxChats: 9, role: 'admin' },
        { user: 'carol', name: 'Carol', desks: ['sales'], maxChats: 9, role: 'operator' },
      ],
    });
    // On duty but `dnd`: nothing is dispatched by itself; every chat below comes from a !pick.
    const users = [
      ['operator', 'otto', SUPPORT],
      ['supervisor', 'bob', SUPPORT],
      ['admin', 'alice', SUPPORT],
      ['carol', 'carol', SALES],
    ] as const;
    await Promise.all(
      users.map(async ([key, user, desk]) => {
        who[key] = await stack.operator(user, 'desk', 'dnd');
        await who[key].subscribeTo(desk);
      }),
    );
    who.mallory = await stack.operator('mallory');
    world = createAuthzWorld(stack);
  }, 60_000);
  afterAll(async () => stack?.stop());

  it('every cell is allowed or refused as the table says', async () => {
    const { chatOf, waiting, offline, ban, end, introOf } = world;
    const [otto, bob, carol] = [who.operator, who.supervisor, who.carol];
    // Standing state, untouched by every refusal: a chat of Otto's and one of Bob's at support,
    // one of Carol's at sales, a waiting sales customer, an offline message at each desk,
    // customers blacklisted at sales (two in sales chats; two whose own ticket was at support).
    const [p1, p2, p3, wSales, o1, o2, s1, s2] = await Promise.all([
      chatOf(otto, SUPPORT),
      chatOf(bob, SUPPORT),
      chatOf(carol, SALES),
      waiting(SALES),
      offline(SUPPORT),
      offline(SALES),
      chatOf(carol, SALES),
      chatOf(carol, SALES),
    ]);
    const crossBanned = await Promise.all(
      [0, 1].map(async () => {
        const first = await chatOf(otto, SUPPORT);
        await end(otto, first, SUPPORT);
        const second = await chatOf(carol, SALES, first.customer);
        await ban(carol, second);
        return first.ticket; // a support ticket of a customer blacklisted in a sales chat
      }),
    );
    await Promise.all([ban(carol, s1), ban(carol, s2)]);

    const ownChats = new Map<string, Chat>(); // role/door → the chat info…end run in
    const bannedBy = new Map<string, number>(); // role/door → the ticket it blacklisted
    /** The chat or ticket a cell acts on, and the JID the command is sent to. */
    async function placeOf(
      cmd: string,
      rel: Relation,
      role: Role | 'mallory',
      door: Door,
      second: boolean,
    ): Promise<{ to: string; n: number; owner?: TestClient }> {
      const invoker = role === 'mallory' ? who.mallory : who[role];
      const key = `${role}/${door}`;
      if (rel === 'own chat') {
        if (cmd === 'transfer' || cmd === 'ban') {
          const chat = await chatOf(invoker, SUPPORT);
          if (cmd === 'ban') bannedBy.set(key, chat.ticket);
          return { to: chat.masked, n: chat.ticket };
        }
        if (!ownChats.has(key)) ownChats.set(key, await chatOf(invoker, SUPPORT));
        const chat = ownChats.get(key) as Chat;
        return { to: chat.masked, n: chat.ticket };
      }
      const supervisorTool = ['monitor', 'whisper', 'takeover'].includes(cmd);
      if (rel === "other's chat, own desk") {
        if (supervisorTool) {
          if (cmd === 'takeover' && role !== 'operator') {
            const chat = await chatOf(otto, SUPPORT);
            return { to: SUPPORT, n: chat.ticket, owner: otto };
          }
          return { to: SUPPORT, n: p1.ticket, owner: otto };
        }
        const chat = role === 'operator' || role === 'mallory' ? p2 : p1;
        return { to: chat.masked, n: chat.ticket };
      }
      if (rel === 'chat at other desk') {
        if (supervisorTool) {
          if (cmd === 'takeover' && role === 'admin') return { to: SUPPORT, n: (await chatOf(carol, SALES)).ticket, owner: carol };
          return { to: SUPPORT, n: p3.ticket, owner: carol };
        }
        return { to: p3.masked, n: p3.ticket };
      }
      const own = rel === 'own desk';
      if (DESK_COMMANDS.includes(cmd) || cmd === 'closed' || role === 'mallory') return { to: own ? SUPPORT : SALES, n: 0 };
      if (cmd === 'pick') return { to: SUPPORT, n: own ? (await waiting(SUPPORT)).ticket : wSales.ticket };
      if (cmd === 'reply') return { to: SUPPORT, n: own ? o1 : o2 };
      if (rel === 'own desk') return { to: SUPPORT, n: bannedBy.get(key) as number }; // unban
      if (rel === 'other desk') return { to: SUPPORT, n: (second ? s2 : s1).ticket };
      return { to: SUPPORT, n: crossBanned[second ? 1 : 0] as number };
    }

    /** Runs one cell; returns what the invoker saw: a refusal (condition + text) or an answer. */
    async function run(invoker: TestClient, cmd: string, door: Door, to: string, n: number, expectAnswer: RegExp | null) {
      const fields = ARGS[cmd]?.(n) ?? {};
      if (door === 'ad-hoc') {
        const reply = await adhoc(invoker, to, cmd, fields);
        if (reply.attrs.type === 'error') return { refused: true, condition: errorConditionOf(reply), text: errorTextOf(reply) };
        const status = reply.getChild('command', NS_COMMANDS)?.attrs.status;
        return { refused: false, text: status === 'completed' ? adhocNote(reply) : `status ${status}` };
      }
      const id = `authz-${++seq}`;
      const body = `!${cmd} ${Object.values(fields).join(' ')}`.trim();
      await invoker.send(xml('message', { to, type: 'chat', id }, xml('body', {}, body)));
      // The reply: an error to this message, a ⚠ line or the answer from where it was sent, or the
      // chat's own message (a pick's or takeover's intro, an end's notice) for commands with no reply.
      const fromChat = (from: string) => from === to || from.startsWith(`t${n}-`);
      const reply = await invoker.next(
        (el) =>
          el.name === 'message' &&
          (el.attrs.type === 'error'
            ? el.attrs.id === id
            : fromChat(String(el.attrs.from)) &&
              (bodyOf(el).startsWith('⚠') || (expectAnswer ?? /^New chat|^Transferred to you|^Chat #\d+ ended\.$/).test(bodyOf(el)))),
        `reply to ${body} at ${to}`,
        4000,
      );
      if (reply.attrs.type === 'error') return { refused: true, condition: errorConditionOf(reply), text: errorTextOf(reply) };
      const text = bodyOf(reply);
      return text.startsWith('⚠') ? { refused: true, condition: 'forbidden', text: text.slice(2) } : { refused: false, text };
    }

    /** The effect of an allowed command, beyond its answer. */
    async function effect(cmd: string, door: Door, invoker: TestClient, n: number, owner?: TestClient): Promise<void> {
      if (cmd === 'pick' && door === 'ad-hoc') await introOf(invoker, n);
      if (cmd === 'takeover') {
        if (door === 'ad-hoc') await introOf(invoker, n);
        await owner?.next((el) => String(el.attrs.from).startsWith(`t${n}-`) && /took over chat/.test(bodyOf(el)), 'takeover notice');
      }
      if (cmd === 'whisper')
        await owner?.next((el) => String(el.attrs.from).startsWith(`t${n}-`) && bodyOf(el).endsWith('] psst'), 'whisper');
      if ((cmd === 'end' && door === 'ad-hoc') || cmd === 'ban') {
        await invoker.next((el) => String(el.attrs.from).startsWith(`t${n}-`) && bodyOf(el) === `Chat #${n} ended.`, `end of #${n}`);
      }
    }

    const cells: { row: string; want: Expect; got: string; ok: boolean }[] = [];
    const rows: [string, Relation, Role | 'mallory', Expect][] = [
      ...TABLE.flatMap(([cmd, rel, op, sup, adm]) =>
        (
          [
            ['operator', op],
            ['supervisor', sup],
            ['admin', adm],
          ] as const
        ).map(([r, e]): [string, Relation, Role, Expect] => [cmd, rel, r, e]),
      ),
    ];
    for (const [cmd, rel, role, want] of rows) {
      for (const door of ['text', 'ad-hoc'] as const) {
        const second = role === 'admin' && door === 'ad-hoc';
        const { to, n, owner } = await placeOf(cmd, rel, role, door, second);
        const invoker = who[role as Role];
        const answer = ANSWER[cmd]?.(n) ?? null;
        const got = await run(invoker, cmd, door, to, n, answer).catch((err: Error) => ({
          refused: false,
          text: `no reply: ${err.message.split('\n')[0]}`,
          condition: undefined,
        }));
        let ok: boolean;
        if (want === 'allowed') {
          ok =
            !got.refused &&
            (answer
              ? answer.test(got.text)
              : door === 'ad-hoc'
                ? got.text === 'Done.'
                : /^New chat|^Transferred to you|^Chat #\d+ ended\.$/.test(got.text));
          if (ok) await effect(cmd, door, invoker, n, owner);
        } else {
          ok = got.refused && got.condition === 'forbidden' && got.text === REFUSAL[want](cmd, n);
        }
        cells.push({
          row: `${cmd} | ${role} | ${rel} | ${door}`,
          want,
          got: got.refused ? `refused ${got.condition}: ${got.text}` : `answered: ${got.text.split('\n')[0]}`,
          ok,
        });
      }
    }
    // Someone who is no operator: refused at every command, at a desk (ad-hoc: a `!` text to a desk
    // is a customer's message) and in a chat (both doors).
    for (const cmd of [...CHAT_COMMANDS, ...DESK_COMMANDS, 'pick', 'reply', 'monitor', 'whisper', 'takeover', 'unban']) {
      const places: [string, Door][] = [
        [SUPPORT, 'ad-hoc'],
        ...(CHAT_COMMANDS.includes(cmd)
          ? ([
              [p1.masked, 'text'],
              [p1.masked, 'ad-hoc'],
            ] as [string, Door][])
          : []),
      ];
      for (const [to, door] of places) {
        const got = await run(who.mallory, cmd, door, to, p1.ticket, ANSWER[cmd]?.(p1.ticket) ?? null).catch((err: Error) => ({
          refused: false,
          text: `no reply: ${err.message}`,
          condition: undefined,
        }));
        const ok = got.refused && got.condition === 'forbidden' && got.text === REFUSAL['not an operator'](cmd, 0);
        cells.push({
          row: `${cmd} | non-operator | ${to === SUPPORT ? 'desk' : "other's chat"} | ${door}`,
          want: 'not an operator',
          got: got.refused ? `refused ${got.condition}: ${got.text}` : `answered: ${got.text}`,
          ok,
        });
      }
    }

    const allowed = cells.filter((c) => c.want === 'allowed').length;
    console.log(
      `authorization: ${cells.length} cells, ${allowed} allowed and ${cells.length - allowed} refused as specified: ${cells.every((c) => c.ok) ? 'all hold' : 'SOME DO NOT'}`,
    );
    expect(cells.filter((c) => !c.ok).map((c) => `${c.row}: want ${c.want}, ${c.got}`)).toEqual([]);

    // No refusal had an effect: the standing chats still relay to their operators, the waiting
    // sales customer still waits.
    for (const [chat, owner] of [
      [p1, otto],
      [p2, bob],
      [p3, carol],
    ] as const) {
      await chat.customer.say(chat.customer === p3.customer ? SALES : SUPPORT, `still ${chat.ticket}`);
      await owner.message(chat.masked, `still ${chat.ticket}`);
    }
    await carol.say(SALES, '!queue');
    expect(bodyOf(await carol.message(SALES, 'Take one with !pick'))).toContain(`#${wSales.ticket} `);
    expect(await stack.health()).toMatchObject({ ok: true });
  }, 120_000);
});
