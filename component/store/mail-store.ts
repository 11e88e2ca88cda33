/**
 * The durable mail queue (issue 17; README "Email"): each mail is a hash with its Message-ID
 * (fixed when queued, so every retry reuses it), a due-time zset that doubles as the lease
 * (lua/claim-mail-1.lua), and a set of each customer's mails for erasure. Nothing lives in the
 * process only: a restarted component resumes from here.
 */
import { reply } from '../lib/redis-scripts.js';
import { storeScript, type StorePartContext } from './store-scripts.js';

export interface QueuedMail {
  id: string;
  messageId: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** The customer the mail is to or about (erasure removes it); '' for none. */
  customerKey: string;
  createdAt: number;
  attempts: number;
  /** An offline reply this mail delivers: "<ticket> <reply time>"; '' for other mails. */
  delivers: string;
}

const claimScript = storeScript('claim-mail-1.lua', { changesRoutes: false }, (r) => reply.strings(r, 'claim-mail'));
const retryScript = storeScript('retry-mail-2.lua', { changesRoutes: false }, (r) => reply.number(r, 'retry-mail') === 1);
const eraseScript = storeScript('erase-mail-2.lua', { changesRoutes: false }, (r) => reply.number(r, 'erase-mail'));

function fromHash(h: Record<string, string>): QueuedMail | undefined {
  if (!h.id || !h.messageId) return undefined;
  return {
    id: h.id,
    messageId: h.messageId,
    to: JSON.parse(h.to ?? '[]') as string[],
    subject: h.subject ?? '',
    text: h.text ?? '',
    html: h.html ?? '',
    customerKey: h.customerKey ?? '',
    createdAt: Number(h.createdAt),
    attempts: Number(h.attempts ?? 0),
    delivers: h.delivers ?? '',
  };
}

export function createMailStore(part: StorePartContext) {
  const { redis, keys, prefix, run } = part;
  return {
    /** Queues a mail, due at `dueAt` (default: now); kept in Redis at most `ttlSeconds` (after the give-up time). */
    async enqueue(m: Omit<QueuedMail, 'attempts'>, ttlSeconds: number, dueAt = m.createdAt): Promise<void> {
      const tx = redis
        .multi()
        .hset(keys.mail(m.id), { ...m, to: JSON.stringify(m.to), attempts: 0 })
        .expire(keys.mail(m.id), ttlSeconds)
        .zadd(keys.mailDue(), dueAt, m.id);
      if (m.customerKey) tx.sadd(keys.mailOf(m.customerKey), m.id).expire(keys.mailOf(m.customerKey), ttlSeconds);
      await tx.exec();
    },
    /** Due mails, leased until `leaseUntil`; see lua/claim-mail-1.lua. */
    async claim(now: number, leaseUntil: number, limit: number): Promise<string[]> {
      return run(claimScript, [keys.mailDue()], [now, leaseUntil, limit]);
    },
    async get(id: string): Promise<QueuedMail | undefined> {
      return fromHash(await redis.hgetall(keys.mail(id)));
    },
    /** Sent, refused or given up: the mail leaves the queue. */
    async remove(id: string, customerKey: string): Promise<void> {
      const tx = redis.multi().del(keys.mail(id)).zrem(keys.mailDue(), id);
      if (customerKey) tx.srem(keys.mailOf(customerKey), id);
      await tx.exec();
    },
    async retry(id: string, at: number, error: string): Promise<boolean> {
      return run(retryScript, [keys.mail(id), keys.mailDue()], [id, at, error.slice(0, 500)]);
    },
    /** Removes every queued mail to or about this customer; returns how many. */
    async eraseFor(customerKey: string): Promise<number> {
      return run(eraseScript, [keys.mailOf(customerKey), keys.mailDue()], [prefix]);
    },
    async pending(): Promise<number> {
      return redis.zcard(keys.mailDue());
    },
    /**
     * Marks an offline reply delivered by this channel unless the other was first; true when this
     * channel is (or already was) the one. Reply times are the field; 30 days like the replies.
     */
    async markDelivered(ticket: number, at: number, channel: 'mail' | 'widget'): Promise<boolean> {
      const key = keys.replyDelivery(ticket);
      const res = await redis
        .multi()
        .hsetnx(key, String(at), channel)
        .hget(key, String(at))
        .expire(key, 30 * 24 * 3600)
        .exec();
      const who = res?.[1]?.[1];
      return who === channel;
    },
    async deliveredBy(ticket: number, at: number): Promise<string | undefined> {
      return (await redis.hget(keys.replyDelivery(ticket), String(at))) ?? undefined;
    },
  };
}
export type MailStore = ReturnType<typeof createMailStore>;
