/** Every Redis key is built here and nowhere else (BullMQ's way). */
export function createKeys(prefix: string) {
  return {
    prefix,
    ticketSeq: () => `${prefix}seq:ticket`,
    queue: (desk: string) => `${prefix}desk:${desk}:queue`,
    deskStats: (desk: string) => `${prefix}desk:${desk}:stats`,
    deskWatchers: (desk: string) => `${prefix}desk:${desk}:watchers`,
    deskSubscribers: (desk: string) => `${prefix}desk:${desk}:subscribers`,
    ticket: (id: number | string) => `${prefix}ticket:${id}`,
    buffer: (id: number | string) => `${prefix}ticket:${id}:buffer`,
    monitors: (id: number | string) => `${prefix}ticket:${id}:monitors`,
    customer: (desk: string, bareJid: string) => `${prefix}customer:${desk}:${bareJid}`,
    masked: (local: string) => `${prefix}masked:${local}`,
    operator: (jid: string) => `${prefix}op:${jid}`,
    operatorResources: (jid: string) => `${prefix}op:${jid}:res`,
    operatorTickets: (jid: string) => `${prefix}op:${jid}:tickets`,
    offlineOperators: () => `${prefix}ops:offline`,
    pendingAnnounce: () => `${prefix}pending-announce`,
    blacklist: () => `${prefix}blacklist`,
    customerNotes: (customerBare: string) => `${prefix}notes:${customerBare}`,
    dailyStats: (scope: string, day: string) => `${prefix}stats:${scope}:${day}`,
  };
}
export type Keys = ReturnType<typeof createKeys>;
