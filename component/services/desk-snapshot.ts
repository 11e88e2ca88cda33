/**
 * Reads what the pure desk computations need, in one place and one round trip: the desk's
 * aggregates kept by the Lua transitions (store/lua/includes/operator-loads.lua), so the cost
 * does not grow with the number of operators. Concurrent readers of one desk share a read
 * that starts after they asked (a burst of joins costs two reads, not one each).
 */
import { computeDeskState, type DeskState } from '../../src/desk-state.js';
import { deskClosure, type Closure } from '../../src/business-hours.js';
import type { OperatorLoad } from '../../src/queue-policy.js';
import type { ServiceContext } from './context.js';
import { createSharedRead } from '../lib/scheduling.js';

export interface DeskSnapshot {
  loads: OperatorLoad[];
  waiting: number;
  avgHandleMs: number;
  state: DeskState;
  /** Closed by business hours or switched closed (issue 17); null otherwise. */
  closure: Closure | null;
}

const sharers = new WeakMap<ServiceContext<'queue' | 'hours'>, ReturnType<typeof createSharedRead<DeskSnapshot>>>();

async function read(ctx: ServiceContext<'queue' | 'hours'>, desk: string): Promise<DeskSnapshot> {
  const { store, directory, config } = ctx;
  const [agg, closedNow] = await Promise.all([
    store.queue.deskAggregate(desk, directory.operatorsOfDesk(desk), directory.maxChatsOf),
    store.hours.closedNow([desk]),
  ]);
  const avgHandleMs = agg.avgHandleMs ?? config.routing.avgHandleSeconds * 1000;
  const closure = deskClosure(directory.desk(desk)?.hours, closedNow.has(desk), new Date(ctx.now()));
  return {
    loads: agg.loads,
    waiting: agg.waiting,
    avgHandleMs,
    state: computeDeskState(desk, agg.loads, agg.waiting, avgHandleMs, closure),
    closure,
  };
}

export function readDeskSnapshot(ctx: ServiceContext<'queue' | 'hours'>, desk: string): Promise<DeskSnapshot> {
  let shared = sharers.get(ctx);
  if (!shared) sharers.set(ctx, (shared = createSharedRead<DeskSnapshot>()));
  return shared(desk, () => read(ctx, desk));
}

/**
 * Only whether the desk is closed now (business hours or the switch): one MGET, nothing per
 * operator. What a join checks first; the full snapshot comes after the enqueue, shared by a batch.
 */
export async function readDeskClosure(ctx: ServiceContext<'hours'>, desk: string): Promise<Closure | null> {
  const closedNow = await ctx.store.hours.closedNow([desk]);
  return deskClosure(ctx.directory.desk(desk)?.hours, closedNow.has(desk), new Date(ctx.now()));
}
