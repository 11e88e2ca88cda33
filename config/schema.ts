/**
 * The configuration contract, validated at boot. Errors name the field
 * (e.g. `operators.1.maxChats: Too big: expected number to be <=9`).
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { isTimeZone, parseClock } from '../src/business-hours.js';
import { DEFAULT_LOOK, deskTexts, widgetLook } from './org-parts.js';
import { redisSettings } from './redis-settings.js';

export const jidPattern = /^[^@/\s]+@[^@/\s]+$/;
const domainPattern = /^[a-z0-9.-]+$/i;
export const formField = z
  .strictObject({
    var: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'field vars are lower-case words (a-z, 0-9, _)'),
    label: z.string().min(1),
    labelJa: z.string().min(1).optional(),
    type: z.enum(['text', 'email', 'tel', 'textarea', 'select', 'checkbox']).default('text'),
    required: z.boolean().default(false),
    /** The choices of a `select` field (e.g. a topic); the submitted value must be one of them. */
    options: z
      .array(z.strictObject({ value: z.string().min(1).max(100), label: z.string().min(1), labelJa: z.string().min(1).optional() }))
      .min(1)
      .optional(),
  })
  .refine((f) => (f.type === 'select') === (f.options !== undefined), {
    message: 'a select field needs options, and only a select field has them',
    path: ['options'],
  });
export type FormField = z.infer<typeof formField>;
export const DEFAULT_FORM: FormField[] = [
  { var: 'name', label: 'Name', labelJa: 'お名前', type: 'text', required: true },
  { var: 'email', label: 'Email', labelJa: 'メールアドレス', type: 'email', required: false },
  { var: 'question', label: 'Your question', labelJa: 'ご質問', type: 'textarea', required: true },
];
/** A whole pre-chat form: at least one field, vars unique. */
export const formFields = z
  .array(formField)
  .min(1)
  .refine((fields) => new Set(fields.map((f) => f.var)).size === fields.length, 'form field vars must be unique');
/** Business hours (issue 17): `HH:MM`–`HH:MM` periods in the desk's IANA zone; no period crosses midnight. */
const clock = z.string().refine((t) => parseClock(t) !== null, 'expected HH:MM (00:00 to 24:00)');
const period = z
  .strictObject({ start: clock, end: clock })
  .refine((p) => (parseClock(p.start) ?? 0) < (parseClock(p.end) ?? 0), { message: 'start must be before end', path: ['end'] });
export const hours = z.strictObject({
  timeZone: z.string().refine(isTimeZone, 'expected an IANA time zone such as Europe/Berlin'),
  /** Shown in status lines, e.g. "JST"; default: the zone's short name from Intl. */
  zoneLabel: z.string().min(1).max(16).optional(),
  weekly: z.partialRecord(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']), z.array(period)).default({}),
  exceptions: z
    .array(z.strictObject({ date: z.iso.date(), periods: z.array(period).default([]) }))
    .default([])
    .refine((e) => new Set(e.map((x) => x.date)).size === e.length, 'one exception per date'),
  /** At closing: 'serve' the queue to the end, or 'offline': each waiting customer's question becomes an offline message. */
  atClosing: z.enum(['serve', 'offline']).default('serve'),
});
/** A token bucket: `burst` messages at once, `perSecond` sustained. */
const rate = z.strictObject({ perSecond: z.number().positive(), burst: z.number().min(1) });
/** `address/prefix` (IPv4 or IPv6), or one address. */
const isCidr = (s: string): boolean => {
  const [address = '', prefix, ...rest] = s.split('/');
  const family = isIP(address);
  if (!family || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
};
export const deskId = z.string().regex(/^[a-z0-9._-]+$/, 'desk ids are lower-case local parts (a-z, 0-9, . _ -)');
const emailAddress = z.string().regex(/^[^@\s<>]+@[^@\s<>]+$/, 'expected an email address like desk@example.com');
/**
 * Email (issue 17; README "Email"). Absent: no mail at all. user/password come from the
 * environment only (SMTP_USER, SMTP_PASSWORD; config/load.ts refuses them in the file).
 */
const mailSettings = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(587),
  /** tls: TLS from the first byte (465); starttls: required upgrade (587); none: plaintext (a local catcher only). */
  tls: z.enum(['tls', 'starttls', 'none']).default('starttls'),
  user: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  from: emailAddress.default('madoguchi@localhost'),
  /** Per desk: who gets "a customer left a message". */
  notify: z.record(deskId, z.array(emailAddress).min(1)).default({}),
  /** The pre-chat form's checkbox whose tick allows mail to the customer's `email`. */
  consentField: z.string().min(1).default('mail_consent'),
  /** A `!reply` shown live (the widget's XEP-0184 receipt) is not mailed: its mail waits this long for the receipt. */
  replyHoldSeconds: z.number().min(0).default(10),
  /** Retry after a temporary failure: base * 2^(attempt-1), at most max; give up after giveUpSeconds. */
  retryBaseSeconds: z.number().positive().default(30),
  retryMaxSeconds: z.number().positive().default(3600),
  giveUpSeconds: z
    .number()
    .positive()
    .default(48 * 3600),
});

export const configSchema = z
  .object({
    component: z.strictObject({
      service: z.string().regex(/^xmpp:\/\/[^/]+$/, 'expected xmpp://host:port'),
      domain: z.string().regex(domainPattern, 'expected a domain name'),
      /** XEP-0114 shared secret. The shipped value is a DEV-ONLY default. */
      secret: z.string().min(1),
    }),
    redis: redisSettings, // config/redis-settings.ts: a URL or Redis Sentinel (issue 19)
    http: z
      .strictObject({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        /** Bearer tokens for the admin API (/api/transcripts). The shipped one is DEV ONLY; env ADMIN_TOKEN. */
        adminTokens: z.array(z.string().min(16, 'admin tokens need at least 16 characters')).default([]),
        /** Who may scrape /metrics: these networks, or anyone with the bearer token (README "Metrics and health"). */
        metrics: z
          .strictObject({
            token: z.string().min(16, 'the metrics token needs at least 16 characters').optional(),
            allow: z.array(z.string().refine(isCidr, 'expected a network, e.g. 10.0.0.0/8 or ::1/128')).default(['127.0.0.1/8', '::1/128']),
          })
          .prefault({}),
      })
      .prefault({}),
    limits: z
      .strictObject({
        maxBodyChars: z.number().int().min(1).default(10_000),
        /** Messages a customer may send to a desk: a token bucket per sender (issue 14; README "Errors you may see"). */
        customerRate: rate.default({ perSecond: 5, burst: 20 }),
        /** The same for an operator's messages (replies and commands). */
        operatorRate: rate.default({ perSecond: 20, burst: 60 }),
        /** What a body-less message (chat state, receipt, marker, real-time text) costs, in messages. */
        signalCost: z.number().min(0).max(1).default(0.25),
        /** Stanzas of one sender waiting in the component; more are refused with wait/resource-constraint. */
        senderBacklog: z.number().int().min(1).default(256),
      })
      .prefault({}),
    routing: z
      .strictObject({
        defaultMaxChats: z.number().int().min(1).max(9).default(3),
        /** The most chats at once an operator may choose with !max (the admin's ceiling; per operator: maxChatsLimit). */
        maxChatsLimit: z.number().int().min(1).max(9).default(9),
        /** How long an operator whose resources are all offline keeps their chats. */
        graceSeconds: z.number().min(0).default(60),
        /** Starting value of the desk's average handle time, before real samples. */
        avgHandleSeconds: z.number().positive().default(300),
        /** Position updates to waiting customers are coalesced over this window. */
        positionUpdateMs: z.number().int().min(0).default(1000),
        /** How often waiting and connected customers are pinged to notice silent departures. */
        livenessSeconds: z.number().min(1).default(30),
        /** How long a widget customer whose page went away keeps the ticket, to reattach from the next page. */
        customerGraceSeconds: z.number().min(0).default(120),
        /** Reassign a chat whose operator has not answered the customer within this many seconds; 0: never (issue 16). */
        reassignUnansweredSeconds: z.number().int().min(0).default(0),
        /** How often timers (grace expiry, liveness) run. */
        tickMs: z.number().int().min(50).default(1000),
        /**
         * Several active instances (issue 19 §3): the leader lease's length. A dead leader's timers and
         * broadcasts move to another instance within this plus a tick.
         */
        leaseMs: z.number().int().min(200).default(3000),
        /**
         * The server balances the component domain over several connections (ejabberd's
         * `domain_balancing`). False (Prosody): the server gives the domain to one connection, so the
         * instance that gets it takes the lease at once instead of waiting for it to run out.
         */
        balancedDomain: z.boolean().default(false),
        /**
         * ejabberd's `component_number` for the domain (its `domain_balancing`), when several instances share
         * it: they keep every slot held, a survivor adopting a dead peer's (component/xmpp/slots.ts). 0: off.
         */
        componentSlots: z.number().int().min(0).max(1000).default(0),
        /**
         * Keep active chats' routes in the component, so a relayed message needs no Redis round trip
         * (component/store/route-cache.ts; instances sharing the Redis announce changes to each other).
         */
        routeCache: z.boolean().default(true),
      })
      .prefault({}),
    /** The customer widget's connection details as browsers reach them (the demo page at / uses them). */
    widget: z
      .strictObject({
        websocketUrl: z
          .string()
          .regex(/^wss?:\/\/\S+$/, 'expected ws://host:port/path or wss://…')
          .default('ws://localhost:5280/xmpp-websocket'),
        guestDomain: z.string().regex(domainPattern, 'expected a domain name').default('guest.localhost'),
        /** The pre-chat form (docs/widget-protocol.md §2); question becomes the first message. */
        form: formFields.default(DEFAULT_FORM),
        /** The widget's appearance (issue 16), served at /api/widget/look; live in Redis after the first start. */
        look: widgetLook.default(DEFAULT_LOOK),
      })
      .prefault({}),
    /** The evidence log (issue #5): every relayed and system stanza, hash-chained and signed. */
    evidence: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** Generated key (evidence-key.pem / .pub.pem) and the JSONL mirror (<dataDir>/log) live here. */
        dataDir: z.string().min(1).default('.data/evidence'),
        /** An Ed25519 PKCS#8 PEM (mode 0600) to use instead of generating one. */
        keyPath: z.string().min(1).optional(),
        mirror: z.boolean().default(true),
        mirrorMaxFileMB: z.number().int().min(1).default(64),
        mirrorFsync: z.boolean().default(false),
        checkpointEvery: z.number().int().min(1).default(1000),
        checkpointMs: z.number().int().min(10).default(5000),
        /** Keep about this many newest records in Redis (0: all); older ones are read from the mirror. */
        redisKeepRecords: z.number().int().min(0).default(200_000),
        /** XEP-0060 witness of the signed heads (component/evidence/README.md "Trust model"); off without a service. */
        witness: z
          .strictObject({
            pubsubService: z.string().regex(domainPattern, 'expected a domain name, e.g. pubsub.example.com').optional(),
            pubsubNode: z.string().min(1).default('madoguchi-evidence-heads'),
          })
          .prefault({}),
      })
      .prefault({}),
    mail: mailSettings.optional(),
    /** Verified identity (issue 20): HMAC-SHA256 secrets the host site signs user ids with (README "Verified identity"). */
    identity: z
      .strictObject({
        /** Signs identities for every desk without its own secret (env IDENTITY_SECRET). */
        secret: z.string().min(16, 'an identity secret has at least 16 characters').optional(),
        /** A desk's own secret (another site): its user ids are its own. */
        desks: z.record(deskId, z.string().min(16, 'an identity secret has at least 16 characters')).default({}),
      })
      .prefault({}),
    /** Sticker packs (issue 20): files under `dir`/<pack id>/, served by the portal at /stickers/<pack>/<file>. */
    stickers: z
      .strictObject({
        /** Default: the shipped dev pack's directory (web-client/stickers). */
        dir: z.string().min(1).optional(),
        /** The portal as browsers and operators' clients reach it; default http://<http.host>:<http.port>. */
        baseUrl: z
          .string()
          .regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, 'expected http(s)://host[:port][/path]')
          .optional(),
        packs: z
          .array(
            z.strictObject({
              id: z.string().regex(/^[a-z0-9_-]{1,32}$/, 'sticker pack ids are lower-case words'),
              name: z.string().min(1).max(60),
              stickers: z
                .array(
                  z.strictObject({
                    name: z.string().regex(/^[a-z0-9_-]{1,32}$/, 'sticker names are lower-case words'),
                    file: z.string().regex(/^[A-Za-z0-9_-]{1,64}\.(png|webp|svg)$/, 'a .png, .webp or .svg file name'),
                    alt: z.string().min(1).max(100),
                    altJa: z.string().min(1).max(100).optional(),
                  }),
                )
                .min(1),
            }),
          )
          .default([]),
      })
      .prefault({}),
    /** Bare JIDs that are always admins (env MADOGUCHI_ADMIN, comma-separated): a fresh install is never locked out. */
    bootstrapAdmins: z.array(z.string().regex(jidPattern, 'expected a bare JID like alice@example.com')).default([]),
    /** Report rollups (docs/reports.md): how long days are kept, samples kept per day for percentiles. */
    reports: z
      .strictObject({
        retentionDays: z.number().int().min(1).default(400),
        samplesPerDay: z.number().int().min(10).max(100_000).default(5000),
      })
      .prefault({}),
    /** Canned replies for every desk: name → text with {customer}, {operator}, {desk}. */
    canned: z.record(z.string().regex(/^[a-z0-9_-]+$/i, 'canned reply names are one word'), z.string().min(1)).default({}),
    desks: z
      .array(
        z.strictObject({
          id: deskId,
          name: z.string().min(1),
          /** Desk-specific canned replies; they win over global ones of the same name. */
          canned: z.record(z.string().regex(/^[a-z0-9_-]+$/i, 'canned reply names are one word'), z.string().min(1)).default({}),
          /** Business hours; a desk without them is always open (closed only when nobody is online). */
          hours: hours.optional(),
          /** Reports: the IANA time zone of the desk's days and hours, and its first-response target (docs/reports.md). */
          timeZone: z.string().refine(isTimeZone, 'expected an IANA time zone, e.g. Europe/Berlin').default('UTC'),
          slaSeconds: z.number().int().min(1).default(60),
          /** Texts overriding the built-in welcome / busy / closed / ended replies, per language (issue 16). */
          texts: deskTexts.default({}),
          /** This desk's own pre-chat form; absent: widget.form. */
          form: formFields.optional(),
        }),
      )
      .min(1)
      .refine((desks) => new Set(desks.map((d) => d.id)).size === desks.length, 'desk ids must be unique'),
    operators: z.array(
      z.strictObject({
        jid: z.string().regex(jidPattern, 'expected a bare JID like alice@example.com'),
        name: z.string().min(1),
        desks: z.array(deskId).min(1),
        maxChats: z.number().int().min(1).max(9).optional(),
        /** The most this operator may set with !max; defaults to routing.maxChatsLimit. */
        maxChatsLimit: z.number().int().min(1).max(9).optional(),
        role: z.enum(['operator', 'supervisor', 'admin']).default('operator'),
      }),
    ),
  })
  .superRefine((cfg, ctx) => {
    const desks = new Set(cfg.desks.map((d) => d.id));
    cfg.operators.forEach((op, i) => {
      op.desks.forEach((d, j) => {
        if (!desks.has(d)) ctx.addIssue({ code: 'custom', path: ['operators', i, 'desks', j], message: `unknown desk "${d}"` });
      });
    });
    cfg.operators.forEach((op, i) => {
      const limit = op.maxChatsLimit ?? cfg.routing.maxChatsLimit;
      const max = op.maxChats ?? cfg.routing.defaultMaxChats;
      if (max <= 9 && max > limit) {
        // above 9 is already refused by the field itself
        ctx.addIssue({
          code: 'custom',
          path: ['operators', i, 'maxChats'],
          message: `is above this operator's limit of ${limit} (maxChatsLimit)`,
        });
      }
    });
    for (const d of Object.keys(cfg.mail?.notify ?? {})) {
      if (!desks.has(d)) ctx.addIssue({ code: 'custom', path: ['mail', 'notify', d], message: `unknown desk "${d}"` });
    }
    for (const d of Object.keys(cfg.identity.desks)) {
      if (!desks.has(d)) ctx.addIssue({ code: 'custom', path: ['identity', 'desks', d], message: `unknown desk "${d}"` });
    }
    const stickerNames = cfg.stickers.packs.flatMap((p) => p.stickers.map((st) => st.name));
    stickerNames.forEach((n, i) => {
      if (stickerNames.indexOf(n) !== i)
        ctx.addIssue({ code: 'custom', path: ['stickers', 'packs'], message: `duplicate sticker name "${n}"` });
    });
    const jids = cfg.operators.map((op) => op.jid.toLowerCase());
    jids.forEach((jid, i) => {
      if (jids.indexOf(jid) !== i) ctx.addIssue({ code: 'custom', path: ['operators', i, 'jid'], message: `duplicate operator ${jid}` });
    });
  });

export type Config = z.infer<typeof configSchema>;
export type OperatorConfig = Config['operators'][number];
export type DeskConfig = Config['desks'][number];
export type MailConfig = NonNullable<Config['mail']>;
