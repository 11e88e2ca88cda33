/**
 * The desk protocol (urn:madoguchi:desk:0) for StanzaJS: one file per payload, registered
 * together with `client.stanzas.define(DESK_PROTOCOL)`. docs/widget-protocol.md is the contract.
 */
import type { JXT } from 'stanza';
import { ackProtocol } from './ack.js';
import { endProtocol } from './end.js';
import { joinProtocol } from './join.js';
import { leaveMessageProtocol } from './leave-message.js';
import { pageProtocol } from './page.js';
import { rateProtocol } from './rate.js';
import { emailTranscriptProtocol } from './email-transcript.js';
import { sessionProtocol } from './session.js';
import { statusProtocol } from './status.js';
import { transcriptProtocol } from './transcript.js';
import { queueProtocol } from './queue.js';
import { identityProtocol } from './identity.js';

export const DESK_PROTOCOL: JXT.DefinitionOptions[] = [
  ...pageProtocol,
  ...statusProtocol,
  ...sessionProtocol,
  ...joinProtocol,
  ...leaveMessageProtocol,
  ...ackProtocol,
  ...transcriptProtocol,
  ...rateProtocol,
  ...emailTranscriptProtocol,
  ...endProtocol,
  ...queueProtocol,
  ...identityProtocol,
];
export type { DeskStatus } from './status.js';
export type { DeskReply } from './leave-message.js';
export type { DeskTranscriptLine } from './transcript.js';
export type { DeskPage } from './page.js';
export type { DeskQueue } from './queue.js';
export type { DeskIdentity } from './identity.js';
export { NS_DESK, JOIN_FORM_TYPE } from './namespaces.js';
