/** What every service gets from the composition root. */
import type { Logger } from 'pino';
import type { Config } from '../../config/schema.js';
import { orgFromConfig } from '../../config/org-settings.js';
import type { DeskSettings, FormSettings, OperatorSettings, OrgSnapshot, RoutingSettings, WidgetLook } from './admin/admin-types.js';
import { unstoredSnapshot } from './admin/org-snapshot.js';
import type { DeskStore } from '../store/desk-store.js';
import type { Element } from '../protocol/xml.js';
import { bareJid } from '../../src/jid.js';
import type { EvidenceRecorder, EvidenceTag } from '../evidence/recorder.js';

export interface Directory {
  domain: string;
  desk(id: string): DeskSettings | undefined;
  desks(): readonly DeskSettings[];
  operator(bare: string): OperatorSettings | undefined;
  operators(): readonly OperatorSettings[];
  operatorsOfDesk(desk: string): readonly string[];
  deskJid(desk: string, resource?: string): string;
  maskedJid(local: string): string;
  maxChatsOf(bare: string): number;
  /** The admin's ceiling for !max. */
  maxChatsLimitOf(bare: string): number;
  /** The live routing knobs (grace, default caps, reassign-unanswered). */
  routing(): RoutingSettings;
  /** The canned replies at a desk: the global ones, and the desk's own winning by name. */
  canned(desk: string): Record<string, string>;
  /** The desk's pre-chat form: its own, else the default one. */
  form(desk: string): FormSettings;
  widget(): WidgetLook;
  /** The whole live snapshot (issue 16). */
  snapshot(): OrgSnapshot;
}

/**
 * The organisational settings as the services read them: from the live snapshot (`org`, swapped
 * on every change: services/admin/live-org.ts), or fixed from the config file when none is given.
 */
export function createDirectory(config: Config, org?: () => OrgSnapshot): Directory {
  const fixed = org ? undefined : unstoredSnapshot(orgFromConfig(config));
  const snapshot = org ?? (() => fixed as OrgSnapshot);
  let indexed:
    | undefined
    | { of: OrgSnapshot; desks: Map<string, DeskSettings>; operators: Map<string, OperatorSettings>; byDesk: Map<string, string[]> };
  /** Lookup tables of the current snapshot, rebuilt when it is swapped. */
  const ix = () => {
    const s = snapshot();
    if (indexed?.of === s) return indexed;
    const operators = new Map(s.operators.map((op) => [bareJid(op.jid), op]));
    const byDesk = new Map<string, string[]>();
    for (const [jid, op] of operators) for (const d of op.desks) byDesk.set(d, [...(byDesk.get(d) ?? []), jid]);
    indexed = { of: s, desks: new Map(s.desks.map((d) => [d.id, d])), operators, byDesk };
    return indexed;
  };
  const domain = config.component.domain;
  return {
    domain,
    desk: (id) => ix().desks.get(id),
    desks: () => snapshot().desks,
    operator: (bare) => ix().operators.get(bare),
    operators: () => snapshot().operators,
    operatorsOfDesk: (desk) => ix().byDesk.get(desk) ?? [],
    deskJid: (desk, resource) => `${desk}@${domain}${resource ? `/${resource}` : ''}`,
    maskedJid: (local) => `${local}@${domain}`,
    maxChatsOf: (bare) => ix().operators.get(bare)?.maxChats ?? snapshot().routing.defaultMaxChats,
    maxChatsLimitOf: (bare) => ix().operators.get(bare)?.maxChatsLimit ?? snapshot().routing.maxChatsLimit,
    routing: () => snapshot().routing,
    canned: (desk) => ({ ...snapshot().canned.global, ...(snapshot().canned.byDesk[desk] ?? {}) }),
    form: (desk) => snapshot().forms.byDesk[desk] ?? snapshot().forms.default,
    widget: () => snapshot().widget,
    snapshot,
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
