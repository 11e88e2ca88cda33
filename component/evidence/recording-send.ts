/**
 * What is recorded on send, decided in one place: a stanza sent with an evidence tag is appended
 * to the evidence log before it leaves, serialized once for the record and for the socket, and
 * appends are queued in send order (recorder.ts), so the log's order is the order stanzas left.
 * A stanza sent without a tag (presence, pings, IQ results) is not evidence and is not recorded.
 */
import type { Element } from '../protocol/xml.js';
import type { EvidenceRecorder, EvidenceTag } from './recorder.js';

/** Where stanzas leave (the XEP-0114 link; a fake in in-process tests). */
export interface StanzaSink {
  /** `serialized`: the stanza's XML when the caller has it already; `recorded`: its evidence append (a durable sink waits for it). */
  send(stanza: Element, serialized?: string, recorded?: Promise<unknown>): void;
}

export type Send = (stanza: Element, tag?: EvidenceTag) => void;

export function createRecordingSend(recorder: EvidenceRecorder, sink: () => StanzaSink | undefined): Send {
  return (stanza, tag) => {
    if (!tag || !recorder.enabled) return sink()?.send(stanza);
    const serialized = stanza.toString();
    const recorded = recorder.record(tag, serialized); // failures are logged by the recorder, never thrown here
    sink()?.send(stanza, serialized, recorded);
  };
}
