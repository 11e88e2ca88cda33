/**
 * `!sticker [name]` (issue 20): lists the desk's stickers, or sends one to the customer the way
 * uploads travel: the URL as the body (clients without XEP-0066 show a link) and an
 * `<x xmlns='jabber:x:oob'>` with the URL and the alt text as its description, so the widget
 * and clients that inline images show the picture.
 * References: https://xmpp.org/extensions/xep-0066.html §3 (jabber:x:oob).
 */
import { randomBytes } from 'node:crypto';
import { DomainError } from '../../../src/errors.js';
import type { StickerCatalog } from '../../../src/stickers.js';
import type { Ticket } from '../../store/desk-store.js';
import { NS_OOB } from '../../protocol/namespaces.js';
import { chat } from '../../protocol/stanzas.js';
import { xml } from '../../protocol/xml.js';
import type { ServiceContext } from '../context.js';
import type { FirstResponseCounter } from '../first-response.js';
import type { CommandSpec } from './types.js';

export function createStickerCommands(ctx: ServiceContext, catalog: StickerCatalog, firstResponse: FirstResponseCounter): CommandSpec[] {
  const { directory, send } = ctx;
  const list = () =>
    catalog.packs.length
      ? catalog.packs.map((p) => `${p.name}: ${p.stickers.map((s) => `${s.name} (${s.alt})`).join(', ')}`).join('\n') +
        '\nSend one with !sticker <name>.'
      : 'No stickers configured.';
  return [
    {
      name: 'sticker',
      summary: 'list stickers, or send one',
      usage: '!sticker [name]',
      minRole: 'operator',
      inChat: true,
      fields: [
        {
          var: 'name',
          label: 'Sticker',
          required: false,
          options: async () => catalog.packs.flatMap((p) => p.stickers.map((s) => ({ value: s.name, label: `${s.name} — ${s.alt}` }))),
        },
      ],
      async run(inv) {
        const t = inv.ticket as Ticket;
        const name = inv.args.trim().split(/\s+/)[0] ?? '';
        if (!name) return list();
        const sticker = catalog.byName(name);
        if (!sticker) throw new DomainError('bad-command', `No sticker "${name.slice(0, 32)}". Send !sticker for the list.`);
        const message = chat(directory.deskJid(t.desk, inv.operator.name), t.customer, sticker.url, [
          xml('x', { xmlns: NS_OOB }, xml('url', {}, sticker.url), xml('desc', {}, sticker.alt)),
        ]);
        message.attrs.id = `stk-${randomBytes(6).toString('hex')}`;
        send(message, { kind: 'message', direction: 'operator->customer', ticket: t, data: { sticker: sticker.name } });
        firstResponse(t);
        return '';
      },
    },
  ];
}
