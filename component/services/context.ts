/** What every service gets from the composition root. */
import type { Logger } from 'pino';
import type { Config, DeskConfig, OperatorConfig } from '../../config/schema.js';
import type { DeskStore } from '../store/desk-store.js';
import type { Element } from '../protocol/xml.js';
import { bareJid } from '../../src/jid.js';
import type { EvidenceRecorder, EvidenceTag } from '../evidence/recorder.js';

export interface Directory {
  domain: string;
  desk(id: string): DeskConfig | undefined;
  desks(): readonly DeskConfig[];
  operator(bare: string): OperatorConfig | undefined;
  operatorsOfDesk(desk: string): readonly string[];
  deskJid(desk: string, resource?: string): string;
  maskedJid(local: string): string;
  maxChatsOf(bare: string): number;
  /** The admin's ceiling for !max. */
  maxChatsLimitOf(bare: string): number;
}

export function createDirectory(config: Config): Directory {
  const desks = new Map(config.desks.map((d) => [d.id, d]));
  const operators = new Map(config.operators.map((op) => [bareJid(op.jid), op]));
  const byDesk = new Map<string, string[]>();
  for (const [jid, op] of operators) for (const d of op.desks) byDesk.set(d, [...(byDesk.get(d) ?? []), jid]);
  const domain = config.component.domain;
  return {
    domain,
    desk: (id) => desks.get(id),
    desks: () => config.desks,
    operator: (bare) => operators.get(bare),
    operatorsOfDesk: (desk) => byDesk.get(desk) ?? [],
    deskJid: (desk, resource) => `${desk}@${domain}${resource ? `/${resource}` : ''}`,
    maskedJid: (local) => `${local}@${domain}`,
    maxChatsOf: (bare) => operators.get(bare)?.maxChats ?? config.routing.defaultMaxChats,
    maxChatsLimitOf: (bare) => operators.get(bare)?.maxChatsLimit ?? config.routing.maxChatsLimit,
  };
}

/** Timings the services report (component/metrics/ makes Prometheus histograms of them); absent in in-process tests. */
export interface DeskMeter {
  /** A dispatch request's run took this long (dispatcher.ts). */
  dispatched(seconds: number): void;
  /** A chat message took this long from arriving to its copy being sent (router.ts). */
  relayed(from: 'customer' | 'operator', seconds: number): void;
}

/** The store's parts (desk-store.ts); a service names the ones it uses, and gets only those. */
export type StorePart = Exclude<keyof DeskStore, 'keys' | 'redis'>;

export interface ServiceContext<P extends StorePart = StorePart> {
  config: Config;
  directory: Directory;
  store: Pick<DeskStore, P>;
  log: Logger;
  /** Sends a stanza; with a tag, it is first appended to the evidence log (issue #5). */
  send: (stanza: Element, evidence?: EvidenceTag) => void;
  /**
   * Runs `fn` once what was sent so far has reached the socket (the kernel has it, so a kill -9
   * no longer loses it); never if it was dropped (link down). Absent: after this turn.
   */
  whenWritten?: (fn: () => void) => void;
  evidence: EvidenceRecorder;
  now: () => number;
  meter?: DeskMeter;
}
