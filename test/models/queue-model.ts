/**
 * Reference model of who gets the next customer: among operators taking new customers and with
 * room (src/queue-policy.ts hasRoom, which production uses), the one with the fewest active chats;
 * tie: the one idle longest (DESIGN §2). The live rule is the desk's ready set
 * (lua/includes/operator-loads.lua) read by assign-ready-3.lua; test/integration/desk-aggregates.test.ts
 * holds it to this model.
 */
import { hasRoom, type OperatorLoad } from '../../src/queue-policy.js';

export function pickOperator(operators: readonly OperatorLoad[]): OperatorLoad | undefined {
  let best: OperatorLoad | undefined;
  for (const op of operators) {
    if (!hasRoom(op)) continue;
    if (!best || op.active < best.active || (op.active === best.active && op.idleSince < best.idleSince)) best = op;
  }
  return best;
}
