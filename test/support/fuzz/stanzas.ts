/**
 * Malformed, hostile and odd stanzas for the component, with what the oracle may expect of each:
 * - 'reply': an IQ get/set with its own id: exactly one result or error (RFC 6120 §8.2.3);
 * - 'error': a message the desk cannot take (to the bare domain, an unknown or dead address):
 *   an error, never silence;
 * - 'silent': a stanza of type error or an IQ result: never answered (RFC 6120 §8.3.1);
 * - 'any': whatever happens, any error it draws is a valid one.
 */
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { COMMAND_NAMES } from '../../../src/commands.js';
import { ADMIN_NODES } from '../../../component/xmpp/handlers/admin-stages.js';
import type { Rng } from './random.js';

export type Expectation = 'reply' | 'error' | 'silent' | 'any';
export interface FuzzStanza {
  stanza: Element;
  expect: Expectation;
  target: TargetKind;
}
export type TargetKind = 'domain' | 'desk' | 'masked' | 'dead-masked' | 'unknown' | 'elsewhere' | 'none';

const NS = {
  desk: 'urn:madoguchi:desk:0',
  data: 'jabber:x:data',
  commands: 'http://jabber.org/protocol/commands',
  info: 'http://jabber.org/protocol/disco#info',
  items: 'http://jabber.org/protocol/disco#items',
  mam: 'urn:xmpp:mam:2',
  rsm: 'http://jabber.org/protocol/rsm',
  stanzas: 'urn:ietf:params:xml:ns:xmpp-stanzas',
};
const CONDITIONS = [
  'bad-request',
  'item-not-found',
  'service-unavailable',
  'remote-server-not-found',
  'recipient-unavailable',
  'gone',
  'undefined-condition',
  'forbidden',
];
const ERROR_TYPES = ['cancel', 'wait', 'modify', 'auth', 'continue', 'bogus'];

export interface World {
  domain: string;
  desks: readonly string[];
  /** A live masked JID seen in an intro, if any. */
  liveMasked(): string | undefined;
  /** Ticket numbers seen so far (for commands with garbage and real arguments). */
  tickets(): readonly number[];
  limit: number;
}

/** The admin commands on the domain JID (issue 16): garbage stages, actions and session ids. */
const ADMIN_NODE_NAMES = ADMIN_NODES.map((n) => n.node);

export function createStanzaFactory(rng: Rng, world: World) {
  const { int, pick, chance, weighted, word, body, text } = rng;
  let seq = 0;
  const id = () => `fz-${++seq}-${Math.floor(rng.next() * 1e6).toString(36)}`;

  function target(): { to?: string; kind: TargetKind } {
    const desk = () => pick(world.desks);
    return weighted<() => { to?: string; kind: TargetKind }>([
      [30, () => ({ to: `${desk()}@${world.domain}`, kind: 'desk' })],
      [5, () => ({ to: `${desk()}@${world.domain}/r${word()}`, kind: 'desk' })],
      [5, () => ({ to: `${desk().toUpperCase()}@${world.domain.toUpperCase()}`, kind: 'desk' })],
      [
        20,
        () => {
          const m = world.liveMasked();
          return m ? { to: chance(0.2) ? `${m}/x` : m, kind: 'masked' } : { to: world.domain, kind: 'domain' };
        },
      ],
      [8, () => ({ to: `t${int(0, 99999)}-${pick(['zzzz', 'aaaa', '0000', 'k7q3'])}@${world.domain}`, kind: 'dead-masked' })],
      [8, () => ({ to: world.domain, kind: 'domain' })],
      // `r…`: a resource that resourceprep maps to nothing (U+200D alone) makes Prosody 0.12.3 drop
      // the stanza with a traceback (usermanager.lua:120) before any component sees it.
      [3, () => ({ to: `${world.domain}/r${word()}`, kind: 'domain' })],
      [8, () => ({ to: `${pick(['nobody', 't1', 't-1-aaaa', 'T1-ABCD', 'support.', 'x'.repeat(500)])}@${world.domain}`, kind: 'unknown' })],
      [2, () => ({ to: pick(['localhost', 'guest.localhost', `nobody@localhost`]), kind: 'elsewhere' })],
      [1, () => ({ kind: 'none' })],
    ])();
  }

  function noise(depthBudget = 3): Element {
    return weighted<() => Element>([
      [6, () => xml('x', { xmlns: `urn:fuzz:${word()}`, [pick(['a', 'b', 'xml:lang', 'type'])]: word() }, text(20))],
      [3, () => xml('active', { xmlns: 'http://jabber.org/protocol/chatstates' })],
      [3, () => xml('request', { xmlns: 'urn:xmpp:receipts' })],
      [3, () => xml('received', { xmlns: 'urn:xmpp:receipts', id: word() })],
      [4, () => xml('origin-id', { xmlns: 'urn:xmpp:sid:0', id: word() })],
      [2, () => xml('replace', { xmlns: 'urn:xmpp:message-correct:0', id: word() })],
      [2, () => xml('x', { xmlns: 'jabber:x:oob' }, xml('url', {}, pick(['javascript:alert(1)', 'http://', word()])))],
      [
        2,
        () =>
          xml(
            'rtt',
            { xmlns: 'urn:xmpp:rtt:0', seq: word(), event: pick(['new', 'reset', 'edit', 'bogus']) },
            xml('t', { p: word() }, text(20)),
          ),
      ],
      [2, () => xml('nick', { xmlns: 'http://jabber.org/protocol/nick' }, text(int(0, 300)))],
      [2, () => nested(int(1, depthBudget > 0 ? 400 : 1))],
      [1, () => xml('wide', { xmlns: 'urn:fuzz:wide' }, ...Array.from({ length: int(1, 200) }, (_, i) => xml(`c${i}`, { v: word() })))],
      [1, () => xml('error', { type: pick(ERROR_TYPES) }, xml(pick(CONDITIONS), { xmlns: NS.stanzas }))],
    ])();
  }
  function nested(depth: number): Element {
    let el = xml('leaf', {}, text(5));
    for (let i = 0; i < depth; i++) el = xml('n', i % 7 === 0 ? { xmlns: `urn:fuzz:n${i}` } : {}, el);
    return el;
  }

  function command(): string {
    const name = chance(0.9) ? pick(COMMAND_NAMES) : pick(['frobnicate', '', 'HELP', 'pick\u00a0', '!', '💥']);
    const tickets = world.tickets();
    const arg = () =>
      weighted<() => string>([
        [4, () => (tickets.length ? String(pick(tickets)) : '1')],
        [2, () => `#${tickets.length ? pick(tickets) : 1}`],
        [3, () => word()],
        [2, () => pick(['sales', 'support', 'Alice', 'bob@localhost', 'nobody', 'hello', 'restart', '9', '0', '10', '-3', '1e9', 'NaN'])],
        [1, () => `t${int(1, 200)}-aaaa`],
      ])();
    const args = Array.from({ length: int(0, 3) }, arg).join(pick([' ', '  ', '\n', '\t']));
    return weighted<() => string>([
      [12, () => `!${name} ${args}`.trimEnd()],
      [1, () => `!!${args}`],
      [1, () => `!${' '.repeat(int(1, 5))}${name}`],
    ])();
  }

  function message(to: { to?: string; kind: TargetKind }, operator: boolean): FuzzStanza {
    const type = weighted<string | undefined>([
      [12, 'chat'],
      [3, 'normal'],
      [2, undefined],
      [2, 'groupchat'],
      [2, 'headline'],
      [1, 'bogus'],
    ]);
    const attrs: Record<string, string> = { id: id() };
    if (to.to) attrs.to = to.to;
    if (type) attrs.type = type;
    const children: Element[] = [];
    const text = operator && chance(0.5) ? command() : body(world.limit);
    if (chance(0.85)) children.push(xml('body', chance(0.05) ? { 'xml:lang': word() } : {}, text));
    if (chance(0.1)) children.push(xml('body', { 'xml:lang': 'ja' }, body(40)));
    for (let i = int(0, 3); i > 0; i--) children.push(noise());
    if (chance(0.05)) children.push(xml('subject', {}, body(50)), xml('thread', {}, word()));
    // The desk must answer these with an error: nobody there to take them (README "Errors you may see").
    const mustFail =
      (to.kind === 'domain' || to.kind === 'unknown' || to.kind === 'dead-masked') && type !== 'headline' && type !== 'bogus';
    return { stanza: xml('message', attrs, ...children), expect: mustFail ? 'error' : 'any', target: to.kind };
  }

  function form(type: string, fields: number): Element {
    const vars = [
      'FORM_TYPE',
      'name',
      'email',
      'question',
      'topic',
      'language',
      'page_url',
      'referrer',
      'with',
      'start',
      'end',
      'ticket',
      'text',
      'target',
      'max',
      'reason',
    ];
    return xml(
      'x',
      { xmlns: pick([NS.data, NS.data, NS.data, 'urn:fuzz']), type },
      ...Array.from({ length: fields }, () =>
        xml(
          'field',
          { var: chance(0.8) ? pick(vars) : word(), ...(chance(0.2) ? { type: pick(['hidden', 'list-multi', 'bogus']) } : {}) },
          ...Array.from({ length: int(0, 3) }, () => xml('value', {}, chance(0.2) ? `${NS.desk}#join` : body(60))),
        ),
      ),
    );
  }

  function iqPayload(): Element | undefined {
    return weighted<() => Element | undefined>([
      [
        6,
        () =>
          xml('query', {
            xmlns: pick([NS.info, NS.items]),
            ...(chance(0.5) ? { node: pick([NS.commands, word(), ...COMMAND_NAMES, ...ADMIN_NODE_NAMES]) } : {}),
          }),
      ],
      [4, () => xml('ping', { xmlns: 'urn:xmpp:ping' })],
      [2, () => xml('vCard', { xmlns: 'vcard-temp' })],
      [2, () => xml('query', { xmlns: pick(['jabber:iq:version', 'jabber:iq:last', 'jabber:iq:roster', 'jabber:iq:private']) })],
      [
        10,
        () =>
          xml(
            'command',
            {
              xmlns: NS.commands,
              node: chance(0.85) ? pick([...COMMAND_NAMES, ...ADMIN_NODE_NAMES]) : word(),
              ...(chance(0.8) ? { action: pick(['execute', 'complete', 'cancel', 'next', 'prev', 'bogus']) } : {}),
              ...(chance(0.3) ? { sessionid: word() } : {}),
            },
            ...(chance(0.6) ? [form(pick(['submit', 'submit', 'cancel', 'form', 'bogus']), int(0, 5))] : []),
          ),
      ],
      [
        5,
        () =>
          xml(
            'query',
            { xmlns: NS.mam, ...(chance(0.5) ? { queryid: word() } : {}) },
            ...(chance(0.6) ? [form('submit', int(0, 4))] : []),
            ...(chance(0.5)
              ? [
                  xml(
                    'set',
                    { xmlns: NS.rsm },
                    xml(pick(['max', 'before', 'after', 'index']), {}, pick(['-1', '0', '1e9', 'abc', '', word()])),
                  ),
                ]
              : []),
          ),
      ],
      [
        5,
        () =>
          xml(
            'session',
            { xmlns: NS.desk, token: chance(0.4) ? `fuzz-token-${int(0, 20)}-0123456789abcdefgh` : word() },
            // Issue 20: a claimed identity, well-formed or not, signed or not.
            ...(chance(0.3)
              ? [
                  xml('identity', {
                    ...(chance(0.8) ? { 'user-id': pick([word(), text(int(0, 300)), '']) } : {}),
                    ...(chance(0.5) ? { name: text(int(0, 150)) } : {}),
                    ...(chance(0.5) ? { email: word() } : {}),
                    ...(chance(0.5) ? { signature: pick([word(), 'ab'.repeat(32), '']) } : {}),
                  }),
                ]
              : []),
          ),
      ],
      [
        5,
        () =>
          xml(
            pick(['join', 'leave-message']),
            { xmlns: NS.desk, ...(chance(0.3) ? { id: word() } : {}) },
            ...(chance(0.8) ? [form(pick(['submit', 'submit', 'form']), int(0, 25))] : []),
            ...(chance(0.3)
              ? [
                  xml(
                    'pages',
                    {},
                    ...Array.from({ length: int(0, 70) }, () =>
                      xml('page', { url: word(), title: text(30), at: pick(['2026-11-22T05:58:00Z', word(), '']) }),
                    ),
                  ),
                ]
              : []),
          ),
      ],
      [
        3,
        () =>
          xml(pick(['status', 'end', 'transcript']), {
            xmlns: NS.desk,
            ...(chance(0.5) ? { ticket: pick([word(), String(int(0, 300))]) } : {}),
          }),
      ],
      [2, () => xml('page', { xmlns: NS.desk, url: word(), title: text(int(0, 2000)), at: word() })],
      [
        2,
        () =>
          xml(
            'rate',
            { xmlns: NS.desk, ticket: pick([word(), String(int(0, 300))]), score: pick(['-1', '0', '3', '6', 'x', '1e3', '']) },
            body(3000),
          ),
      ],
      [2, () => xml(pick(['bogus', 'session', 'join']), { xmlns: pick([NS.desk, `urn:fuzz:${word()}`, 'urn:madoguchi:desk:1']) }, noise())],
      [1, () => undefined],
      [1, () => nested(int(1, 300))],
    ])();
  }

  function iq(to: { to?: string; kind: TargetKind }): FuzzStanza {
    const type = weighted<string | undefined>([
      [20, 'get'],
      [20, 'set'],
      [2, 'result'],
      [1, 'bogus'],
      [1, undefined],
    ]);
    const idKind = weighted<'own' | 'none' | 'empty' | 'huge'>([
      [40, 'own'],
      [1, 'none'],
      [1, 'empty'],
      [1, 'huge'],
    ]);
    const attrs: Record<string, string> = {};
    if (idKind === 'own') attrs.id = id();
    if (idKind === 'huge') attrs.id = `${id()}-${'h'.repeat(int(500, 3000))}`;
    if (idKind === 'empty') attrs.id = '';
    if (to.to) attrs.to = to.to;
    if (type) attrs.type = type;
    const payload = iqPayload();
    const extra = chance(0.05) ? [noise()] : [];
    const children = payload ? [payload, ...extra] : extra;
    const answerable = (type === 'get' || type === 'set') && (idKind === 'own' || idKind === 'huge');
    return {
      stanza: xml('iq', attrs, ...children),
      expect: answerable ? 'reply' : type === 'result' && idKind !== 'empty' && idKind !== 'none' ? 'silent' : 'any',
      target: to.kind,
    };
  }

  function presence(to: { to?: string; kind: TargetKind }): FuzzStanza {
    const type = weighted<string | undefined>([
      [6, undefined],
      [4, 'unavailable'],
      [3, 'probe'],
      [3, 'subscribe'],
      [2, 'subscribed'],
      [2, 'unsubscribe'],
      [2, 'unsubscribed'],
      [1, 'bogus'],
    ]);
    const attrs: Record<string, string> = { id: id() };
    if (to.to) attrs.to = to.to;
    if (type) attrs.type = type;
    const children: Element[] = [];
    if (chance(0.5)) children.push(xml('show', {}, pick(['away', 'chat', 'dnd', 'xa', 'online', '', word()])));
    if (chance(0.3)) children.push(xml('status', {}, body(500)));
    if (chance(0.2)) children.push(xml('priority', {}, pick(['0', '-129', '128', 'abc', '5'])));
    for (let i = int(0, 2); i > 0; i--) children.push(noise());
    return { stanza: xml('presence', attrs, ...children), expect: 'any', target: to.kind };
  }

  /** A stanza of type error, as a bounce would look (sometimes shaped like a liveness ping's). */
  function errorStanza(to: { to?: string; kind: TargetKind }): FuzzStanza {
    const name = pick(['message', 'iq', 'presence']);
    const attrs: Record<string, string> = { type: 'error', id: chance(0.2) ? `live-${id()}` : id() };
    if (to.to) attrs.to = to.to;
    const error = chance(0.85)
      ? [
          xml(
            'error',
            { type: pick(ERROR_TYPES) },
            ...(chance(0.9) ? [xml(pick(CONDITIONS), { xmlns: NS.stanzas })] : []),
            ...(chance(0.3) ? [xml('text', { xmlns: NS.stanzas }, body(100))] : []),
          ),
        ]
      : [];
    const extra = name === 'message' && chance(0.5) ? [xml('body', {}, body(50))] : [];
    return { stanza: xml(name, attrs, ...extra, ...error), expect: 'silent', target: to.kind };
  }

  return {
    next(operator: boolean): FuzzStanza {
      const to = target();
      return weighted<() => FuzzStanza>([
        [40, () => iq(to)],
        [38, () => message(to, operator)],
        [14, () => presence(to)],
        [8, () => errorStanza(to)],
      ])();
    },
  };
}
