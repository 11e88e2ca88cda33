/**
 * Cheap state for the authorization matrix (test/e2e/command-authorization.test.ts): customers
 * waiting, chats held by a chosen operator (operators are on `dnd`, so nothing is dispatched by
 * itself and every chat comes from a `!pick`), offline messages, blacklisted customers.
 */
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { isIntroOrHandover, type TestClient } from './clients.js';
import type { Stack } from './stack.js';

const NS_DESK = 'urn:madoguchi:desk:0';
export const bodyOf = (el: Element) => el.getChildText('body') ?? '';

export interface Chat {
  customer: TestClient;
  ticket: number;
  masked: string;
}

export function createAuthzWorld(stack: Stack) {
  let tokens = 0;

  /** A customer (new, or `customer` again) writes to `deskJid`; the desk answers with the ticket. */
  async function waiting(deskJid: string, customer?: TestClient): Promise<{ customer: TestClient; ticket: number }> {
    const c = customer ?? (await stack.customer());
    await c.say(deskJid, 'authorization matrix');
    const welcome = await c.message(deskJid, 'Your ticket is #');
    return { customer: c, ticket: Number(/#(\d+)/.exec(bodyOf(welcome))?.[1]) };
  }

  /** The intro of ticket `n` at `owner` (a pick, a takeover). */
  const introOf = (owner: TestClient, n: number) =>
    owner.next((el) => isIntroOrHandover(el) && String(el.attrs.from).startsWith(`t${n}-`), `intro of #${n} at ${owner.jid}`);

  /** A live chat of `owner` at `deskJid`. */
  async function chatOf(owner: TestClient, deskJid: string, customer?: TestClient): Promise<Chat> {
    const w = await waiting(deskJid, customer);
    await owner.say(deskJid, `!pick ${w.ticket}`);
    return { ...w, masked: String((await introOf(owner, w.ticket)).attrs.from) };
  }

  /** A message left at a closed desk (docs/widget-protocol.md §6); its offline ticket. */
  async function offline(deskJid: string): Promise<number> {
    const c = await stack.customer();
    const token = `authz-token-${++tokens}-0123456789abcdef`;
    await c.iq(deskJid, 'set', xml('session', { xmlns: NS_DESK, token }));
    const form = xml(
      'x',
      { xmlns: 'jabber:x:data', type: 'submit' },
      xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, `${NS_DESK}#join`)),
      xml('field', { var: 'name' }, xml('value', {}, 'Offline')),
      xml('field', { var: 'question' }, xml('value', {}, 'call me back')),
    );
    const left = await c.iq(deskJid, 'set', xml('leave-message', { xmlns: NS_DESK }, form));
    return Number(left.getChild('offline', NS_DESK)?.attrs.ticket);
  }

  /** `owner` blacklists the customer of `chat`; resolves when the chat has ended. */
  async function ban(owner: TestClient, chat: Chat): Promise<void> {
    await owner.say(chat.masked, '!ban setup');
    await owner.message(chat.masked, 'is blacklisted');
  }

  /** `owner` ends `chat`; resolves when the customer has been told. */
  async function end(owner: TestClient, chat: Chat, deskJid: string): Promise<void> {
    await owner.say(chat.masked, '!end');
    await chat.customer.message(`${deskJid}/${ownerName(owner)}`, 'has ended the chat');
  }
  const ownerName = (owner: TestClient) => {
    const user = owner.jid.split('@')[0] ?? '';
    return user.charAt(0).toUpperCase() + user.slice(1);
  };

  return { waiting, chatOf, offline, ban, end, introOf };
}
