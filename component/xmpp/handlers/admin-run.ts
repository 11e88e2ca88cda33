/**
 * What one admin command request carries through its stages (admin-adhoc.ts), and the XEP-0050
 * pieces its replies are made of: notes, allowed actions, and errors with the commands
 * namespace's specific condition.
 * References: https://xmpp.org/extensions/xep-0050.html#desc-errors
 */
import type { Actor } from '../../services/admin/admin-types.js';
import { NS_COMMANDS } from '../../protocol/namespaces.js';
import { StanzaFailure } from '../../protocol/stanzas.js';
import { xml, type Element } from '../../protocol/xml.js';
import type { Access, NodeSpec } from './admin-stages.js';

export interface Run {
  spec: NodeSpec;
  access: Access;
  actor: Actor;
  reply: (status: 'executing' | 'completed' | 'canceled', ...children: (Element | undefined)[]) => Element;
  /** The session completed or was canceled: its id is spent. */
  done: () => void;
}

export const note = (type: 'info' | 'error', text: string): Element => xml('note', { type }, text);
export const actions = (execute: string, ...allowed: string[]): Element => xml('actions', { execute }, ...allowed.map((a) => xml(a)));

/** XEP-0050 §4.4 (#desc-errors): a stanza error with the commands namespace's specific condition. */
export const cmdError = (type: 'modify' | 'cancel', condition: string, app: string, text: string) =>
  new StanzaFailure({ type, condition, text, app: { name: app, xmlns: NS_COMMANDS } });
export const forbidden = (text: string) => new StanzaFailure({ type: 'cancel', condition: 'forbidden', text });
export const badPayload = (text: string) => cmdError('modify', 'bad-request', 'bad-payload', text);
