/**
 * The administration contract (issue 16; docs/admin.md): the organisational settings as live
 * entities in Redis, and the one service both front doors call — the XEP-0050 admin commands
 * (xmpp/handlers/admin-adhoc.ts) and the console's JSON API (http/admin-routes.ts). Types only:
 * the zod schema in config/org-schema.ts infers the same shapes.
 */

/** The kinds of live organisational entity. Each entity has its own revision (optimistic locking). */
export type OrgKind = 'desk' | 'operator' | 'canned' | 'form' | 'widget' | 'routing';

export interface Localized {
  en?: string;
  ja?: string;
}

/** Per-desk texts that override the built-in ones (src/texts.ts), per language. */
export interface DeskTexts {
  welcome?: Localized;
  busy?: Localized;
  closed?: Localized;
  ended?: Localized;
}

export interface Period {
  start: string; // HH:MM
  end: string;
}
export interface DeskHours {
  timeZone: string;
  zoneLabel?: string;
  weekly: Partial<Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', Period[]>>;
  exceptions: { date: string; periods: Period[] }[];
  /** At closing time: serve the queue to the end, or turn waiting customers into offline messages (issue 17). */
  atClosing: 'serve' | 'offline';
}

/** id `desk/<deskId>`. */
export interface DeskSettings {
  id: string;
  name: string;
  texts: DeskTexts;
  hours?: DeskHours;
  timeZone: string;
  slaSeconds: number;
}

/** id `operator/<bare jid, lower case>`. */
export interface OperatorSettings {
  jid: string;
  name: string;
  desks: string[];
  role: 'operator' | 'supervisor' | 'admin';
  maxChats?: number;
  maxChatsLimit?: number;
}

/** id `canned/global` or `canned/<deskId>`: name → text with {customer}, {operator}, {desk}. */
export type CannedSet = Record<string, string>;

export interface FormFieldSettings {
  var: string;
  label: string;
  labelJa?: string;
  type: 'text' | 'email' | 'tel' | 'textarea' | 'select' | 'checkbox';
  required: boolean;
  options?: { value: string; label: string; labelJa?: string }[];
}
/** id `form/default` or `form/<deskId>` (a desk without its own uses the default). */
export type FormSettings = FormFieldSettings[];

export interface ButtonLook {
  label?: string;
  labelJa?: string;
  /** An https: URL or a portal path (/assets/...). */
  imageUrl?: string;
}
/** id `widget/default`. */
export interface WidgetLook {
  title: string;
  titleJa?: string;
  colors: { primary: string; background: string; text: string };
  logoUrl?: string;
  position: 'bottom-right' | 'bottom-left';
  button: { open: ButtonLook; busy: ButtonLook; closed: ButtonLook };
}

/** id `routing/default`. */
export interface RoutingSettings {
  graceSeconds: number;
  defaultMaxChats: number;
  maxChatsLimit: number;
  customerGraceSeconds: number;
  /** Reassign a chat whose operator has not answered the customer within N seconds; 0 = never. */
  reassignUnansweredSeconds: number;
}

export interface OrgValueOf {
  desk: DeskSettings;
  operator: OperatorSettings;
  canned: CannedSet;
  form: FormSettings;
  widget: WidgetLook;
  routing: RoutingSettings;
}

/** One entity as stored: `rev` is the settings revision at which it was last written. */
export interface OrgEntity<K extends OrgKind = OrgKind> {
  kind: K;
  /** The part after `<kind>/`: a desk id, an operator's bare JID, `global`, `default`. */
  id: string;
  rev: number;
  value: OrgValueOf[K];
}

/** Everything at one settings revision (every instance holds one and swaps it on announce). */
export interface OrgSnapshot {
  rev: number;
  desks: DeskSettings[];
  operators: OperatorSettings[];
  canned: { global: CannedSet; byDesk: Record<string, CannedSet> };
  forms: { default: FormSettings; byDesk: Record<string, FormSettings> };
  widget: WidgetLook;
  routing: RoutingSettings;
  /** The revision of one entity, 0 when it does not exist. */
  entityRev(kind: OrgKind, id: string): number;
}

export type AdminRole = 'admin' | 'supervisor';

/** Who is asking; the role is looked up live in the snapshot on every call (removal revokes at once). */
export interface Actor {
  /** Bare JID, lower case. */
  jid: string;
}

export interface AuditEntry {
  /** Evidence log sequence number of the record. */
  seq: number;
  ts: string; // ISO
  by: string; // bare JID, or `import` / `seed`
  kind: OrgKind | 'ban';
  id: string;
  action: 'create' | 'update' | 'delete';
  old: unknown;
  new: unknown;
}

export interface BanEntry {
  /** The banned customer identity as operators know it: the ticket it was banned from. */
  ticket: number | null;
  customerKey: string;
  by: string;
  reason?: string;
  at: string; // ISO
}

export interface LiveDesk {
  desk: string;
  name: string;
  state: 'open' | 'busy' | 'closed';
  /** The manual "closed now" switch (issue 17; `!closed on|off`). */
  closedNow: boolean;
  waiting: { ticket: number; waitedSeconds: number }[];
  operators: {
    jid: string;
    name: string;
    show: 'available' | 'chat' | 'away' | 'xa' | 'dnd' | 'offline';
    chats: number;
    maxChats: number;
  }[];
  chats: { ticket: number; operator: string; waitedSeconds: number; sinceSeconds: number }[];
}

/** A short-lived bearer session for the console's HTTP calls (issued over XMPP, kept in Redis). */
export interface PortalSession {
  token: string;
  jid: string;
  role: AdminRole | 'operator';
  expiresAt: string; // ISO
}

/**
 * The one administration service (services/admin/admin-service.ts). Every method checks the
 * actor's role first: admins may do everything; supervisors may read the desks they belong to
 * (and those desks' forms, canned sets and bans); operators and strangers get
 * DomainError('forbidden'). Writes validate the whole resulting settings with the zod schema
 * (DomainError('bad-request', '<field path>: <message>'), e.g.
 * 'operator/carol@localhost: desks.0: unknown desk "x"'), refuse a stale `expectedRev` with
 * DomainError('conflict', …) (expectedRev 0 = "must not exist yet"), write, record the change in
 * the evidence log (kind 'settings': who, old → new) and the audit list, and announce it to every
 * instance sharing the Redis. Nothing is half-saved.
 */
export interface AdminService {
  roleOf(actor: Actor): AdminRole | 'operator' | undefined;
  /** The current snapshot (what the actor may see of it is for the caller to filter by list/get). */
  snapshot(): OrgSnapshot;
  list<K extends OrgKind>(actor: Actor, kind: K): Promise<OrgEntity<K>[]>;
  get<K extends OrgKind>(actor: Actor, kind: K, id: string): Promise<OrgEntity<K> | undefined>;
  put<K extends OrgKind>(actor: Actor, kind: K, id: string, value: unknown, expectedRev: number): Promise<OrgEntity<K>>;
  remove(actor: Actor, kind: OrgKind, id: string, expectedRev: number): Promise<void>;
  bans(actor: Actor): Promise<BanEntry[]>;
  unban(actor: Actor, customerKey: string): Promise<void>;
  audit(actor: Actor, query: { limit: number; beforeSeq?: number }): Promise<AuditEntry[]>;
}

/** The console's live page (services/admin/live-view.ts): admins see every desk, supervisors theirs. */
export interface LiveView {
  live(actor: Actor): Promise<LiveDesk[]>;
  /** The "closed now" switch of one of the actor's desks (as `!closed on|off`); returns what it did, as text. */
  setClosedNow(actor: Actor, desk: string, closed: boolean): Promise<string>;
}

/** Console sessions (services/admin/console-sessions.ts): issued over XMPP, kept in Redis with a TTL. */
export interface ConsoleSessions {
  /** Issues a session for a configured operator of any role (what it opens follows the live role). */
  open(actor: Actor): Promise<PortalSession>;
  /** The actor behind a bearer token, or undefined when unknown or expired. */
  actorOf(token: string): Promise<Actor | undefined>;
}
