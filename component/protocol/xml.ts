/** The one XML toolkit of the component: @xmpp/xml's xml() and ltx's Element (CJS build, shared instance). */
import { createRequire } from 'node:module';
import xmlFactory from '@xmpp/xml';
import type { Element } from '@xmpp/xml';

const require = createRequire(import.meta.url);

export type { Element };
export const xml = xmlFactory;
/** Throws on malformed input: callers parse only what the component itself serialized. */
export const parseXml = require('ltx/lib/parse.js') as (text: string) => Element;
