/**
 * Reads what the pure desk computations need, in one place and one round trip: the desk's
 * aggregates kept by the Lua transitions (store/lua/includes/operator-loads.lua), so the cost
 * does not grow with the number of operators. Concurrent readers of one desk share a read
 * that starts after they asked (a burst of joins costs two reads, not one each).
 */
import { computeDeskState, type DeskState } from '../../src/desk-state.js';
import type { OperatorLoad } from '../../src/queue-policy.js';
import type { ServiceContext } from './context.js';
import { createSharedRead } from '../lib/scheduling.js';

export interface DeskSnapshot {
  loads: OperatorLoad[];
  waiting: number;
  avgHandleMs: number;
  state: DeskState;
}

const sharers = new WeakMap<ServiceContext<'queue'>, ReturnType<typeof createSharedRead<DeskSnapshot>>>();

async function read(ctx: ServiceContext<'queue'>, desk: string): Promise<DeskSnapshot> {
  const { store, directory, config } = ctx;
  const agg = await store.queue.deskAggregate(desk, directory.operatorsOfDesk(desk), directory.maxChatsOf);
  const avgHandleMs = agg.avgHandleMs ?? config.routing.avgHandleSeconds * 1000;
  return { loads: agg.loads, waiting: agg.waiting, avgHandleMs, state: computeDeskState(desk, agg.loads, agg.waiting, avgHandleMs) };
}

export function readDeskSnapshot(ctx: ServiceContext<'queue'>, desk: string): Promise<DeskSnapshot> {
  let shared = sharers.get(ctx);
  if (!shared) sharers.set(ctx, (shared = createSharedRead<DeskSnapshot>()));
  return shared(desk, () => read(ctx, desk));
}
