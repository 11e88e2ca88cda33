/** Reads what the pure desk computations need, in one place. */
import { computeDeskState, type DeskState } from '../../src/desk-state.js';
import type { OperatorLoad } from '../../src/queue-policy.js';
import type { ServiceContext } from './context.js';

export interface DeskSnapshot {
  loads: OperatorLoad[];
  waiting: number;
  avgHandleMs: number;
  state: DeskState;
}

export async function readDeskSnapshot(ctx: ServiceContext, desk: string): Promise<DeskSnapshot> {
  const { store, directory } = ctx;
  const [loads, waiting, avgHandleMs] = await Promise.all([
    store.operatorLoads(directory.operatorsOfDesk(desk), directory.maxChatsOf),
    store.queueLength(desk),
    store.avgHandleMs(desk),
  ]);
  return { loads, waiting, avgHandleMs, state: computeDeskState(desk, loads, waiting, avgHandleMs) };
}
