/**
 * Start-up: a log written before the transcript index existed (or whose index was lost) gets
 * it rebuilt from the records in Redis. New appends index themselves (lua/append-batch-2.lua)
 * meanwhile; a seq filed twice or out of order is harmless, readers dedupe and sort by seq.
 */
import type { Redis } from 'ioredis';
import type { EvidenceStore } from './evidence-store.js';
import { indexArgs } from './evidence-store.js';

export async function reindexIfMissing(redis: Redis, store: EvidenceStore): Promise<{ indexed: number }> {
  const { keys } = store;
  if ((await redis.exists(keys.tickets)) || (await store.head()).seq === 0) return { indexed: 0 };
  let indexed = 0;
  for await (const page of store.iterate(1, '+')) {
    const pipe = redis.pipeline();
    for (const e of page) {
      const [ticket, ts, desk, operator, customer] = indexArgs(e) as [string, string, string, string, string];
      if (ticket === '') continue;
      pipe.rpush(keys.ticketSeqs(e.ticket as number), e.seq);
      pipe.zadd(keys.tickets, 'NX', ts, ticket);
      if (desk) pipe.zadd(keys.byDesk(desk), 'NX', ts, ticket);
      if (operator) pipe.zadd(keys.byOperator(operator), 'NX', ts, ticket);
      if (customer) pipe.zadd(keys.byCustomer(customer), 'NX', ts, ticket);
      indexed++;
    }
    await pipe.exec();
  }
  return { indexed };
}
