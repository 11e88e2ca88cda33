/** Every Redis key is built here and nowhere else (BullMQ's way). */
export function createKeys(prefix: string) {
  return {
    prefix,
    ticketSeq: () => `${prefix}seq:ticket`,
    queue: (desk: string) => `${prefix}desk:${desk}:queue`,
    deskStats: (desk: string) => `${prefix}desk:${desk}:stats`,
    deskWatchers: (desk: string) => `${prefix}desk:${desk}:watchers`,
    deskSubscribers: (desk: string) => `${prefix}desk:${desk}:subscribers`,
    // Kept by lua/includes/operator-loads.lua: the desk's operators' loads and those with a free slot.
    deskLoads: (desk: string) => `${prefix}desk:${desk}:loads`,
    deskReady: (desk: string) => `${prefix}desk:${desk}:ready`,
    ticket: (id: number | string) => `${prefix}ticket:${id}`,
    buffer: (id: number | string) => `${prefix}ticket:${id}:buffer`,
    monitors: (id: number | string) => `${prefix}ticket:${id}:monitors`,
    /** Origin-ids (XEP-0359) a ticket has relayed or kept: lua/customer-message-1.lua. */
    originIds: (id: number | string) => `${prefix}ticket:${id}:oids`,
    customer: (desk: string, customerKey: string) => `${prefix}customer:${desk}:${customerKey}`,
    masked: (local: string) => `${prefix}masked:${local}`,
    operator: (jid: string) => `${prefix}op:${jid}`,
    operatorResources: (jid: string) => `${prefix}op:${jid}:res`,
    operatorTickets: (jid: string) => `${prefix}op:${jid}:tickets`,
    offlineOperators: () => `${prefix}ops:offline`,
    pendingAnnounce: () => `${prefix}pending-announce`,
    blacklist: () => `${prefix}blacklist`,
    customerNotes: (customerKey: string) => `${prefix}notes:${customerKey}`,
    // The widget's customers (docs/widget-protocol.md): who a JID is, what they told us.
    binding: (bareJid: string) => `${prefix}bind:${bareJid}`,
    jidOfCustomer: (customerKey: string) => `${prefix}bound-jid:${customerKey}`,
    jidsOfCustomer: (customerKey: string) => `${prefix}bound-jids:${customerKey}`,
    detached: () => `${prefix}detached`,
    ticketForm: (id: number | string) => `${prefix}ticket:${id}:form`,
    ticketPages: (id: number | string) => `${prefix}ticket:${id}:pages`,
    /** The identity the site claimed for the ticket's customer, verified or not (issue 20). */
    ticketIdentity: (id: number | string) => `${prefix}ticket:${id}:identity`,
    ticketReplies: (id: number | string) => `${prefix}ticket:${id}:replies`,
    visits: (customerKey: string) => `${prefix}visits:${customerKey}`,
    deskOffline: (desk: string) => `${prefix}desk:${desk}:offline`,
    offlineOf: (customerKey: string) => `${prefix}offline:${customerKey}`,
    /** The desk's manual "closed now" switch (issue 17): present while switched closed. */
    deskClosedNow: (desk: string) => `${prefix}desk:${desk}:closed-now`,
    /** A console session (issue 16): the SHA-256 of its bearer token → the admin's bare JID, with a TTL. */
    consoleSession: (tokenHash: string) => `${prefix}console:${tokenHash}`,
    // The mail queue (mail-store.ts): each mail, when it is due (or its lease ends), a customer's mails.
    mail: (id: string) => `${prefix}mail:${id}`,
    mailDue: () => `${prefix}mail-due`,
    mailOf: (customerKey: string) => `${prefix}mail-of:${customerKey}`,
    /** An offline reply delivered by mail or by the widget, whichever came first: reply time → channel. */
    replyDelivery: (ticket: number | string) => `${prefix}ticket:${ticket}:delivered`,
    reportDay: (scope: string, day: string) => `${prefix}report:${scope}:${day}`,
    reportMarks: (ticket: number) => `${prefix}report-marks:${ticket}`,
    // Organisational settings (org-store.ts, issue 16): the revision, each entity's value, revision and first write.
    orgRev: () => `${prefix}org:rev`,
    orgValues: () => `${prefix}org:values`,
    orgRevs: () => `${prefix}org:revs`,
    orgOrder: () => `${prefix}org:order`,
    orgAudit: () => `${prefix}org:audit`,
    /** Pub/sub: every new settings revision is announced here (org-sync.ts). */
    orgChanged: () => `${prefix}org:changed`,
    // Several active instances (issue 19 §3, leader-lease.ts): the lease, its fencing tokens, and the channel the others ask the leader on.
    leaderLease: () => `${prefix}leader`,
    leaderEpoch: () => `${prefix}leader:epoch`,
    deskChanged: () => `${prefix}desk-changed`,
    /** The server's component slots the instances' links hold (slot-book.ts, lua/slot-book-1.lua). */
    slotBook: () => `${prefix}slots`,
    /** Which link heard each slot check's probes (xmpp/slot-check.ts): link id → count, for a minute. */
    slotCheck: (nonce: string) => `${prefix}slots:check:${nonce}`,
    /** A customer's sneak-peek draft (XEP-0301), for `!peek` on any instance. */
    draft: (ticket: number | string) => `${prefix}ticket:${ticket}:draft`,
    /** An operator's presence intervals counted, per UTC day of their end: since → 1 (report-presence-1.lua). */
    reportPresenceMarks: (operator: string, day: string) => `${prefix}report-marks:presence:${operator}:${day}`,
    /** Widget impressions of a desk's day: not derived from the evidence log, so a rebuild leaves them. */
    reportImpressions: (desk: string, day: string) => `${prefix}report-impressions:desk:${desk}:${day}`,
  };
}
export type Keys = ReturnType<typeof createKeys>;
