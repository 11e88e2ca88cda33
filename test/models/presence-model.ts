/**
 * Reference model of how an operator's resources aggregate (RFC 6121 §4.7.2 <show/> values):
 * the most available resource wins, none is offline. The live rule is operator-presence-3.lua;
 * test/integration/rule-twins.test.ts holds it to this model.
 */
import type { OperatorStatus, Show } from '../../src/presence.js';

/** Higher is more available. */
const SHOW_RANK: Record<OperatorStatus, number> = { offline: 0, dnd: 1, xa: 2, away: 3, available: 4, chat: 5 };

export function aggregateOperatorStatus(resources: Iterable<Show>): OperatorStatus {
  let best: OperatorStatus = 'offline';
  for (const show of resources) if (SHOW_RANK[show] > SHOW_RANK[best]) best = show;
  return best;
}
