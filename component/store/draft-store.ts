/**
 * Customers' sneak-peek drafts (XEP-0301 real-time text, `!peek`), in Redis so that an operator on
 * any instance sees the draft a customer types through another (issue 19 §3). Short-lived: a
 * draft nobody touched for DRAFT_TTL_MS is gone.
 */
import type { StorePartContext } from './store-scripts.js';

export interface Draft {
  text: string;
  at: number;
}

const DRAFT_TTL_MS = 10 * 60_000;

export function createDraftStore(part: Pick<StorePartContext, 'redis' | 'keys'>) {
  const { redis, keys } = part;
  return {
    async get(ticketId: number): Promise<Draft | undefined> {
      const v = await redis.get(keys.draft(ticketId));
      return v ? (JSON.parse(v) as Draft) : undefined;
    },
    async set(ticketId: number, draft: Draft): Promise<void> {
      await redis.set(keys.draft(ticketId), JSON.stringify(draft), 'PX', DRAFT_TTL_MS);
    },
    async clear(ticketId: number): Promise<void> {
      await redis.del(keys.draft(ticketId));
    },
  };
}
