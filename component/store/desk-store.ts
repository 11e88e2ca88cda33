/**
 * Typed access to the desk's state in Redis, split by aggregate: sessions (tickets, chats and
 * their routes), the queue, operators, customers, audiences and report rollups. Multi-key changes go
 * through the Lua transitions in ./lua (declared beside the store call that runs them, with a
 * typed decoder of the reply); single-key reads and writes are plain commands. Writes that may
 * change a route go through the route guard (route-guard.ts), so cached routes never go stale.
 */
import type { Redis } from 'ioredis';
import { createKeys } from './keys.js';
import type { RouteCache } from './route-cache.js';
import { createRouteGuard } from './route-guard.js';
import { createStorePartContext, type StoreOptions } from './store-scripts.js';
import { createSessionStore } from './session-store.js';
import { createQueueStore } from './queue-store.js';
import { createOperatorStore } from './operator-store.js';
import { createCustomerStore } from './customer-store.js';
import { createAudienceStore } from './audience-store.js';
import { createHoursStore } from './hours-store.js';
import { createDraftStore } from './draft-store.js';
import { createConsoleSessionStore } from './console-session-store.js';
import { createMailStore } from './mail-store.js';
import { createReportStore, type ReportOptions } from './report-store.js';
import { createOrgStore } from './org-store.js';

export interface DeskStoreOptions extends StoreOptions {
  /**
   * Active chats' routes kept in this process (route-cache.ts), and how to tell other instances
   * that one may have changed (route-sync.ts). Absent: every lookup asks Redis.
   */
  routes?: { cache: RouteCache; announce: () => void };
  /** Report rollups' retention and sample bound (docs/reports.md). */
  reports?: ReportOptions;
}

export function createDeskStore(redis: Redis, prefix: string, options: DeskStoreOptions) {
  const keys = createKeys(prefix);
  const part = createStorePartContext(redis, keys, options, createRouteGuard(options.routes));
  return {
    keys,
    redis,
    sessions: createSessionStore(part),
    queue: createQueueStore(part),
    operators: createOperatorStore(part),
    customers: createCustomerStore(part),
    audiences: createAudienceStore(part),
    hours: createHoursStore(part),
    consoleSessions: createConsoleSessionStore(part),
    mail: createMailStore(part),
    reports: createReportStore(part, options.reports),
    /** Organisational settings (issue 16). */
    org: createOrgStore(part),
    /** Sneak-peek drafts, shared by the instances (issue 19 §3). */
    drafts: createDraftStore(part),
  };
}

export type DeskStore = ReturnType<typeof createDeskStore>;
export type { Ticket } from './ticket-record.js';
export type { Chat, CustomerRoute } from './session-store.js';
export type { StoreOptions } from './store-scripts.js';
